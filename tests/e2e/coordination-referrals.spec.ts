import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { signIn } from './support/coordination';
import { wcagViolations } from './support/axe';
import { enrollOverApi, freshEnrollmentCode } from './support/crew';
import { pushOverApi, referralCreate, visitCreate } from './support/sync-api';

/** A demo bus; each test gets a fresh one-time code for it. */
const BUS = 'Bus France services du Ruffecois';
const PHONE = '0611223344';

test('a coordinator closes a referral: the tablet pulls the new status, the contact is gone', async ({
	page,
	request
}) => {
	const code = await freshEnrollmentCode(page, BUS);
	const { token, bus, referenceVersion, snapshot } = await enrollOverApi(request, code);
	const serviceDayId: string = snapshot.serviceDays[0].id;
	const auth = { Authorization: `Bearer ${token}` };

	const at = new Date().toISOString();
	const visitId = randomUUID();
	const referralId = randomUUID();
	const pushed = await pushOverApi(request, token, [
		visitCreate(1, {
			id: visitId,
			busId: bus.id,
			serviceDayId,
			at,
			referenceVersion,
			outcome: 'referred'
		}),
		// Already past: the page marks it overdue.
		referralCreate(2, {
			id: referralId,
			visitId,
			busId: bus.id,
			at,
			referenceVersion,
			dueDate: '2026-01-05',
			contact: { phone: PHONE }
		})
	]);
	expect(pushed.status()).toBe(200);
	expect((await pushed.json()).results.map((r: { status: string }) => r.status)).toEqual([
		'applied',
		'applied'
	]);

	await page.goto('/coordination');
	await page.getByRole('link', { name: 'Suivre les orientations' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Suivi des orientations');
	const ref = referralId.slice(0, 8);
	const row = page.getByRole('row', { name: ref });
	await expect(row).toContainText(BUS);
	await expect(row).toContainText('Ouverte');
	await expect(row).toContainText('En retard');
	expect(await page.content()).not.toContain(PHONE);
	// page.request carries the coordinator's session cookie (the `request` fixture would meet the sign-in page).
	const served = await page.request.get('/coordination/orientations');
	expect(served.url()).toMatch(/\/coordination\/orientations$/);
	expect(await served.text()).not.toContain(PHONE);

	// The filter is a plain GET form.
	await page.getByLabel('Statut', { exact: true }).selectOption('closed');
	await page.getByRole('button', { name: 'Afficher' }).click();
	await expect(page).toHaveURL(/status=closed/);
	await expect(page.getByRole('row', { name: ref })).toHaveCount(0);
	await page.getByLabel('Statut', { exact: true }).selectOption('open');
	await page.getByRole('button', { name: 'Afficher' }).click();
	await expect(row).toBeVisible();

	await row.getByRole('button', { name: `Passer l'orientation ${ref} au statut Close` }).click();
	await expect(page.getByRole('status').filter({ hasText: ref })).toContainText(
		`L'orientation ${ref} est passée au statut « Close »`
	);
	// Filtered on open ones, the closed referral leaves the list.
	await expect(page.getByRole('row', { name: ref })).toHaveCount(0);
	expect(await page.content()).not.toContain(PHONE);

	const pulled = await request.post('/api/sync/pull', {
		headers: auth,
		data: { protocol: 1, cursor: snapshot.cursor, limit: 500 }
	});
	expect(pulled.status()).toBe(200);
	const { changes } = await pulled.json();
	const mine = changes.filter(
		(change: { entity: string; id: string }) => change.entity === 'referral' && change.id === referralId
	);
	expect(mine.length).toBeGreaterThan(0);
	expect(mine.at(-1).data).toMatchObject({ status: 'closed', contact: null, consent: { given: true } });
	expect(JSON.stringify(changes)).not.toContain(PHONE);

	// A bad field is refused with a 400 that names it (as a browser without JavaScript posts the form).
	const refused = await page.request.post('/coordination/orientations?/move', {
		form: { id: 'not-an-id', to: 'closed' },
		headers: { Origin: new URL(page.url()).origin, Accept: 'text/html' }
	});
	expect(refused.status()).toBe(400);
	expect(await refused.text()).toContain('Champ id');
});

test('the referral follow-up page has no WCAG 2.1 A/AA violation that axe-core can find', async ({
	page
}) => {
	for (const path of ['/coordination/orientations', '/en/coordination/orientations']) {
		await signIn(page, path);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		expect(await wcagViolations(page)).toEqual([]);
	}
});
