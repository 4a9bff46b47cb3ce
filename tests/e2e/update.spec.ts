import { existsSync, rmSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { enrollOnAServiceDay, fillRequest } from './support/crew';
import { buildVersion, serveBuild, type RunningServer } from './support/server';
import { wcagViolations } from './support/axe';
import { expectHeading, readStoredCaches, waitForServiceWorkerControl } from './support/service-worker';

/**
 * "A new build is announced and not forced": the browser first gets the app from build/ (the build the other
 * tests use), then the server is redeployed with a second build of another version on the same origin. The
 * page must announce it, keep running untouched, and switch only when the user accepts (or later, once no tab
 * of the old version is open).
 */
const PORT = Number(process.env.ESCALE_E2E_PORT ?? 4173) + 1;
const CURRENT_BUILD = 'build';
const NEXT_BUILD = 'test-results/build-next';
const NEXT_VERSION = `e2e-next-${Date.now().toString(36)}`;
const DATA_DIR = 'test-results/e2e-update-data';
const CREW_HEADING = "Tablette de l'équipage";

test.use({ baseURL: `http://localhost:${PORT}` });

let server: RunningServer | undefined;

async function deploy(buildDir: string): Promise<void> {
	await server?.stop();
	server = await serveBuild({ port: PORT, buildDir, dataDir: DATA_DIR });
}

test.beforeAll(async () => {
	test.setTimeout(300_000);
	rmSync(DATA_DIR, { recursive: true, force: true });
	// build/ is normally fresh from the webServer command; when an already running server was reused, build it.
	if (!existsSync(`${CURRENT_BUILD}/handler.js`)) {
		await buildVersion({ version: `e2e-current-${Date.now().toString(36)}`, outDir: CURRENT_BUILD });
	}
	await buildVersion({ version: NEXT_VERSION, outDir: NEXT_BUILD });
});

test.beforeEach(async () => {
	await deploy(CURRENT_BUILD);
});

test.afterEach(async () => {
	await server?.stop();
	server = undefined;
});

/** The versions whose pages cache exists (`escale-pages-<version>`, one per installed worker). */
async function installedVersions(page: Page): Promise<string[]> {
	const { names } = await readStoredCaches(page);
	return names
		.filter((name) => name.startsWith('escale-pages-'))
		.map((name) => name.slice('escale-pages-'.length));
}

/** Opens the crew app under the current build and leaves marks that a reload would wipe. */
async function openWithUnsavedWork(page: Page): Promise<string> {
	await page.goto('/equipage');
	await expectHeading(page, CREW_HEADING);
	await waitForServiceWorkerControl(page);
	const [current] = await installedVersions(page);
	expect(current).toBeDefined();
	expect(current).not.toBe(NEXT_VERSION);
	// What a crew member may have on screen: a half-typed note, and some page state.
	await page.evaluate(() => {
		const note = document.createElement('input');
		note.id = 'note-en-cours';
		note.setAttribute('aria-label', 'Note en cours');
		document.querySelector('main')?.append(note);
		(window as unknown as { escaleMark?: string }).escaleMark = 'still here';
	});
	await page.getByLabel('Note en cours').fill('Mme X. revient jeudi');
	return current ?? '';
}

/**
 * Redeploys the next build and lets the page find it, as when a tablet comes back online: the page hears
 * `online`, as the app does on reconnecting. Not through setOffline(true/false): Chromium applies it to the page
 * and to the service worker one after the other, and a check started by the page's `online` could install while
 * the worker was still offline, its downloads failing (seen once in a clean-clone run under load).
 */
async function redeployAndReconnect(page: Page): Promise<void> {
	await deploy(NEXT_BUILD);
	await page.evaluate(() => window.dispatchEvent(new Event('online')));
}

async function expectUntouched(page: Page): Promise<void> {
	await expect(page.getByLabel('Note en cours')).toHaveValue('Mme X. revient jeudi');
	expect(await page.evaluate(() => (window as unknown as { escaleMark?: string }).escaleMark)).toBe(
		'still here'
	);
}

test('a new version is announced, waits for the user, then reloads the page once under the new worker', async ({
	page
}) => {
	const current = await openWithUnsavedWork(page);
	const navigations: string[] = [];
	page.on('framenavigated', (frame) => {
		if (frame === page.mainFrame()) navigations.push(frame.url());
	});

	await redeployAndReconnect(page);

	const banner = page.getByRole('status').filter({ hasText: 'Nouvelle version disponible' });
	await expect(banner).toBeVisible();
	// The new worker is installed and waiting; the old one still serves this page, so nothing can reload it.
	expect(await installedVersions(page)).toEqual(expect.arrayContaining([current, NEXT_VERSION]));
	expect(
		await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state)
	).toBe('installed');
	await expectUntouched(page);
	expect(navigations).toEqual([]);

	await banner.getByRole('button', { name: 'Mettre à jour' }).click();

	await expect.poll(() => navigations.length).toBe(1);
	await expectHeading(page, CREW_HEADING);
	await expect(page.getByLabel('Note en cours')).toHaveCount(0);
	await expect(banner).toHaveCount(0);
	await waitForServiceWorkerControl(page);
	// The old version's caches are gone once the new worker is active.
	await expect.poll(() => installedVersions(page)).toEqual([NEXT_VERSION]);
	expect(navigations).toHaveLength(1);

	// The new worker serves the app offline as the old one did.
	await page.context().setOffline(true);
	await page.reload();
	await expectHeading(page, CREW_HEADING);
});

test('"Plus tard" keeps the current version on screen; the new one starts once no tab uses the old one', async ({
	page,
	context
}) => {
	await openWithUnsavedWork(page);
	await redeployAndReconnect(page);

	const banner = page.getByRole('status').filter({ hasText: 'Nouvelle version disponible' });
	await banner.getByRole('button', { name: 'Plus tard' }).click();
	await expect(banner).toHaveCount(0);
	await expectUntouched(page);

	await page.close();
	const next = await context.newPage();
	// With no tab left on the old version the browser activates the waiting worker on the next visit.
	await expect
		.poll(
			async () => {
				await next.goto('/equipage');
				return installedVersions(next);
			},
			{ timeout: 20_000 }
		)
		.toEqual([NEXT_VERSION]);
	await expectHeading(next, CREW_HEADING);
	await expect(next.getByRole('status').filter({ hasText: 'Nouvelle version disponible' })).toHaveCount(0);
});

test('when another tab accepts the update, this one keeps its work and reloads only when asked', async ({
	page,
	context
}) => {
	const current = await openWithUnsavedWork(page);
	const other = await context.newPage();
	await other.goto('/');
	await expectHeading(other, 'Quand passe le bus France services ?');
	await redeployAndReconnect(page);

	const banner = (tab: Page) => tab.getByRole('status').filter({ hasText: 'Nouvelle version disponible' });
	await expect(banner(page)).toBeVisible();
	await expect(banner(other)).toBeVisible();
	expect(await installedVersions(page)).toEqual(expect.arrayContaining([current, NEXT_VERSION]));

	const otherReloaded = other.waitForEvent('framenavigated');
	await banner(other).getByRole('button', { name: 'Mettre à jour' }).click();
	await otherReloaded;
	await expect.poll(() => installedVersions(other)).toEqual([NEXT_VERSION]);

	// This tab now runs under the new worker but was not reloaded: its work is still there, the offer too.
	await expectUntouched(page);
	await expect(banner(page)).toBeVisible();

	const reloaded = page.waitForEvent('framenavigated');
	await banner(page).getByRole('button', { name: 'Mettre à jour' }).click();
	await reloaded;
	await expectHeading(page, CREW_HEADING);
	await expect(page.getByLabel('Note en cours')).toHaveCount(0);
	await expect(banner(page)).toHaveCount(0);
});

/** Whether the element at the middle of `selector` is that element (or inside it): nothing is drawn over it. */
function isUncovered(page: Page, name: string): Promise<boolean> {
	return page.evaluate((label) => {
		const target = [...document.querySelectorAll('button')].find(
			(button) => button.textContent?.trim() === label
		);
		if (!target) return false;
		const box = target.getBoundingClientRect();
		const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
		return top !== null && target.contains(top);
	}, name);
}

/** The visits stored on the tablet (its IndexedDB), as plain objects. */
function storedVisits(page: Page): Promise<{ channel: string; ageBand?: string; requests: unknown[] }[]> {
	return page.evaluate(
		() =>
			new Promise((resolve, reject) => {
				const open = indexedDB.open('escale');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const request = open.result.transaction('visits').objectStore('visits').getAll();
					request.onerror = () => reject(request.error);
					request.onsuccess = () => {
						open.result.close();
						resolve(request.result);
					};
				};
			})
	);
}

test('an update offered while a visitor is half filled in keeps every field and applies after the save', async ({
	page,
	context
}) => {
	test.setTimeout(120_000);
	await enrollOnAServiceDay(page, context, 'Bus France services de Vouziers');
	await page.goto('/equipage/accueillir');
	const [current] = await installedVersions(page);
	expect(current).not.toBe(NEXT_VERSION);

	// A visitor half filled in: a channel, two requests, a detail.
	await page.getByLabel('Par téléphone', { exact: true }).check();
	await fillRequest(page, 1, { partner: 'CAF', theme: 'Logement', outcome: 'Doit revenir', online: true });
	await page.getByRole('button', { name: 'Ajouter une autre demande' }).click();
	await fillRequest(page, 2, { partner: 'La Poste', theme: 'Famille - Scolarité', outcome: 'Résolue' });
	await page.getByText('Plus de détails (facultatif)').click();
	await page.getByLabel("Tranche d'âge").selectOption({ label: '70 ans et plus' });

	const navigations: string[] = [];
	page.on('framenavigated', (frame) => {
		if (frame === page.mainFrame()) navigations.push(frame.url());
	});
	await redeployAndReconnect(page);
	const banner = page.getByRole('status').filter({ hasText: 'Nouvelle version disponible' });
	await expect(banner).toBeVisible();

	// The banner never covers "Enregistrer la visite", on a desktop, a tablet either way or a phone.
	for (const viewport of [
		{ width: 1280, height: 800 },
		{ width: 800, height: 1280 },
		{ width: 600, height: 960 },
		{ width: 360, height: 640 }
	]) {
		await page.setViewportSize(viewport);
		for (const scroll of ['top', 'bottom'] as const) {
			await page.evaluate(
				(where) => window.scrollTo(0, where === 'top' ? 0 : document.body.scrollHeight),
				scroll
			);
			await expect
				.poll(() => isUncovered(page, 'Enregistrer la visite'), { message: `${viewport.width}, ${scroll}` })
				.toBe(true);
		}
	}
	await page.setViewportSize({ width: 1280, height: 800 });

	await banner.getByRole('button', { name: 'Mettre à jour' }).click();
	const waiting = page
		.getByRole('status')
		.filter({ hasText: 'La mise à jour attendra que la visite en cours soit enregistrée' });
	await expect(waiting).toBeVisible();
	expect(await wcagViolations(page)).toEqual([]);
	// Nothing reloaded, the new version still waits, and every field is as the crew left it.
	expect(navigations).toEqual([]);
	expect(
		await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state)
	).toBe('installed');
	await expect(page.getByLabel('Par téléphone', { exact: true })).toBeChecked();
	for (const [n, partner, theme, outcome] of [
		[1, 'CAF', 'Logement', 'Doit revenir'],
		[2, 'La Poste', 'Famille - Scolarité', 'Résolue']
	] as const) {
		const block = page.getByRole('region', { name: `Demande ${n}`, exact: true });
		await expect(
			block.getByRole('group', { name: 'Partenaire' }).getByLabel(partner, { exact: true })
		).toBeChecked();
		await expect(
			block.getByRole('group', { name: 'Thème' }).getByLabel(theme, { exact: true })
		).toBeChecked();
		await expect(
			block.getByRole('group', { name: 'Issue' }).getByLabel(outcome, { exact: true })
		).toBeChecked();
	}
	await expect(
		page.getByRole('region', { name: 'Demande 1', exact: true }).getByLabel('Démarche en ligne')
	).toBeChecked();
	await expect(page.getByLabel("Tranche d'âge")).toHaveValue('from70');

	// The save stores the visit, then the update applies: one reload, under the new version.
	await page.getByRole('button', { name: 'Enregistrer la visite' }).click();
	await expect.poll(() => navigations.length).toBe(1);
	await expectHeading(page, 'Accueillir un visiteur');
	await waitForServiceWorkerControl(page);
	await expect.poll(() => installedVersions(page)).toEqual([NEXT_VERSION]);
	await expect(waiting).toHaveCount(0);
	const visits = await storedVisits(page);
	expect(visits).toHaveLength(1);
	expect(visits[0]).toMatchObject({
		channel: 'phone',
		ageBand: 'from70',
		requests: [
			{ partner: 'CAF', theme: 'housing', outcome: 'mustReturn', onlineProcedure: true },
			{ partner: 'LA_POSTE', theme: 'family', outcome: 'resolved' }
		]
	});
	expect(navigations).toHaveLength(1);
});
