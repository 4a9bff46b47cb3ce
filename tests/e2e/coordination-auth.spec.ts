import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { wcagViolations } from './support/axe';
import { DEMO_COORDINATOR, signIn } from './support/coordination';
import { enrollOverApi } from './support/crew';
import { pushOverApi, visitCreate } from './support/sync-api';
import { readStoredCaches, waitForServiceWorkerControl } from './support/service-worker';

const BUS = 'Bus France services La Rur@linette';

test('a coordinator signs in, issues a code, removes the tablet it enrolled, and signs out', async ({
	page,
	request
}) => {
	// Signed out, the area sends to the sign-in page, which says where to come back.
	await page.goto('/coordination/orientations?status=open');
	await expect(page).toHaveURL(
		(url) =>
			url.pathname === '/coordination/connexion' &&
			url.searchParams.get('suite') === '/coordination/orientations?status=open'
	);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Connexion à la coordination');
	await expect(page.getByTestId('demo-sign-in')).toContainText(DEMO_COORDINATOR.email);

	// A `suite` pointing at another site is ignored: the sign-in lands on the coordination home.
	await page.goto('/coordination/connexion?suite=%2F%2Fevil.example%2Fcoordination');
	await page.getByLabel('Adresse électronique').fill(DEMO_COORDINATOR.email);
	await page.getByLabel('Mot de passe').fill('pas-le-bon-mot-de-passe');
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page.getByRole('alert')).toHaveText('Adresse ou mot de passe incorrect.');
	await expect(page).toHaveURL(/\/coordination\/connexion/);

	await page.getByLabel('Mot de passe').fill(DEMO_COORDINATOR.password);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page).toHaveURL((url) => url.hostname === 'localhost' && url.pathname === '/coordination');
	await expect(page.getByText(`Connecté : ${DEMO_COORDINATOR.name}`)).toBeVisible();

	const cookie = (await page.context().cookies()).find((c) => c.name === 'escale_coordination');
	expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

	// A code for a bus, shown once.
	await page.getByLabel('Bus', { exact: true }).selectOption({ label: BUS });
	await page.getByRole('button', { name: 'Émettre un code' }).click();
	const issued = page.getByTestId('issued-code');
	await expect(issued).toContainText(`Nouveau code pour ${BUS}`);
	const code = (await issued.locator('code').innerText()).trim();
	expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
	await page.reload();
	await expect(page.getByRole('main')).not.toContainText(code);

	// A version string the coordination page shows; its build part (hexadecimal) tells this run's tablet apart.
	const appVersion = `0.1.0+e2e${randomUUID().slice(0, 5)}`;
	const { token, deviceId, bus, referenceVersion } = await enrollOverApi(request, code, appVersion);
	const ref = String(deviceId).slice(0, 12);

	await page.reload();
	const row = page.getByRole('table', { name: 'Tablettes' }).getByRole('row', { name: ref });
	await expect(row).toContainText(BUS);
	await expect(row).toContainText(appVersion);
	await expect(row).toContainText('Active');

	// Without the confirmation the server refuses, naming the field (as a browser without JavaScript posts it).
	const unconfirmed = await page.request.post('/coordination?/revoke', {
		form: { deviceId },
		headers: { Origin: new URL(page.url()).origin, Accept: 'text/html' }
	});
	expect(unconfirmed.status()).toBe(400);
	expect(await unconfirmed.text()).toContain('Je confirme');

	await row.getByRole('checkbox', { name: `Je confirme (le retrait de la tablette ${ref})` }).check();
	await row.getByRole('button', { name: `Retirer la tablette ${ref}` }).click();
	await expect(page.getByRole('status').filter({ hasText: ref })).toContainText(
		`La tablette ${ref} est retirée`
	);
	await expect(row).toContainText('Retirée le');

	const visitId = randomUUID();
	const at = new Date().toISOString();
	const pushed = await pushOverApi(request, token, [
		visitCreate(1, {
			id: visitId,
			busId: bus.id,
			serviceDayId: `${bus.id}-nulle-part@2026-03-10`,
			at,
			referenceVersion,
			outcome: 'resolved'
		})
	]);
	expect(pushed.status()).toBe(403);
	expect((await pushed.json()).error.code).toBe('device_revoked');

	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await expect(page).toHaveURL(/\/coordination\/connexion$/);
	await page.goto('/coordination');
	await expect(page).toHaveURL(/\/coordination\/connexion\?suite=%2Fcoordination$/);
	// The old session cookie opens nothing any more, even replayed by hand.
	const replayed = await request.get('/coordination', {
		headers: { Cookie: `escale_coordination=${cookie?.value ?? ''}` },
		maxRedirects: 0
	});
	expect(replayed.status()).toBe(303);
});

test('a burst of wrong passwords slows its address down but never locks the coordinator out', async ({
	page,
	request
}) => {
	// The coordinator's usual browser signs in once, which leaves it a device cookie, then signs out.
	await signIn(page);
	const device = (await page.context().cookies()).find((c) => c.name === 'escale_device');
	expect(device).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await expect(page).toHaveURL(/\/coordination\/connexion$/);

	// Another client sends eight wrong passwords at once: the first are checked, the rest refused unheard.
	const origin = new URL(page.url()).origin;
	const form = { email: DEMO_COORDINATOR.email, password: 'pas-le-bon-mot-de-passe', suite: '/coordination' };
	const answers = await Promise.all(
		Array.from({ length: 8 }, () =>
			request.post('/coordination/connexion', { form, headers: { Origin: origin, Accept: 'text/html' } })
		)
	);
	expect(new Set(answers.map((answer) => answer.status()))).toEqual(new Set([401, 429]));
	for (const refused of answers.filter((answer) => answer.status() === 429)) {
		expect(Number(refused.headers()['retry-after'])).toBeGreaterThanOrEqual(1);
		expect(Number(refused.headers()['retry-after'])).toBeLessThanOrEqual(60);
		expect(await refused.text()).toContain('Trop de tentatives de connexion : par sécurité, attendez');
	}

	// The right password from the usual browser gets in: at once, or once this machine's short wait is over
	// (the tests' browser shares its address with the other client), never after a 15-minute lock.
	await expect(async () => {
		await page.goto('/coordination/connexion');
		await page.getByLabel('Adresse électronique').fill(DEMO_COORDINATOR.email);
		await page.getByLabel('Mot de passe').fill(DEMO_COORDINATOR.password);
		await page.getByRole('button', { name: 'Se connecter' }).click();
		const signedIn = page.getByText(`Connecté : ${DEMO_COORDINATOR.name}`);
		const refused = page.getByRole('alert').filter({ hasText: 'Trop de tentatives' });
		await expect(signedIn.or(refused)).toBeVisible();
		expect(await refused.isVisible(), 'still within the wait').toBe(false);
	}).toPass({ timeout: 30_000 });
});

test('the API stays open to tablets and the sign-in page to everyone', async ({ request }) => {
	expect((await request.get('/api/health')).status()).toBe(200);
	const signInPage = await request.get('/en/coordination/connexion', { maxRedirects: 0 });
	expect(signInPage.status()).toBe(200);
	const guarded = await request.get('/en/coordination', { maxRedirects: 0 });
	expect(guarded.status()).toBe(303);
	expect(guarded.headers()['location']).toBe('/en/coordination/connexion?suite=%2Fen%2Fcoordination');
});

test('the sign-in page has no WCAG 2.1 A/AA violation that axe-core can find', async ({ page }) => {
	for (const path of ['/coordination/connexion', '/en/coordination/connexion']) {
		await page.goto(path);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		expect(await wcagViolations(page)).toEqual([]);
	}
});

test('the pages of members never enter the service worker caches, whatever their spelling', async ({
	page,
	context
}) => {
	await page.goto('/');
	await waitForServiceWorkerControl(page);
	await signIn(page, '/coordination/orientations');
	for (const path of ['/%63oordination/orientations', '/en/%63oordination', '/coordination']) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(200);
		expect(response?.headers()['cache-control'], path).toBe('private, no-store');
		expect(response?.headers()['x-escale-private'], path).toBe('member');
	}
	const stored = await readStoredCaches(page);
	expect(stored.pages.length).toBeGreaterThan(0);
	expect(
		stored.pages.map((path) => decodeURIComponent(path)).filter((path) => path.includes('coordination'))
	).toEqual([]);

	// Signed out and offline, the next person on this computer finds nothing of it.
	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await context.setOffline(true);
	// Not stored, not routed by the worker: the browser's own offline error, never the page seen before.
	await expect(page.goto('/%63oordination/orientations')).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
	await expect(page.locator('body')).not.toContainText('Suivi des orientations');
	await context.setOffline(false);
});
