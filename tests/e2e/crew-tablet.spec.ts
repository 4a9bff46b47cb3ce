/**
 * Issue 4, the tablet itself: a full disk never shows a false "Enregistré" and leaves nothing half-written, and
 * the check-in screen fits a tablet held either way (no sideways scrolling, 44 px targets).
 */
import { TZDate } from '@date-fns/tz';
import { expect, test } from '@playwright/test';
import { wcagViolations } from './support/axe';
import { checkIn, enrollOnAServiceDay, fillRequest, waitForSyncIdle } from './support/crew';

const BUS = 'Bus France services de Vouziers';

test('a full disk: a clear message, no "Enregistré", and nothing half-written', async ({ page, context }) => {
	await enrollOnAServiceDay(page, context, BUS);
	await context.setOffline(true);
	await page.goto('/equipage/accueillir');
	await fillRequest(page, 1, { partner: 'CAF', theme: 'Famille - Scolarité', outcome: 'Résolue' });

	// From now on, the browser refuses to write an outbox entry as it does when the origin's quota is used up.
	await page.evaluate(() => {
		const original = IDBObjectStore.prototype.add;
		IDBObjectStore.prototype.add = function (this: IDBObjectStore, ...args: [unknown, IDBValidKey?]) {
			if (this.name === 'outbox')
				throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
			return original.apply(this, args);
		};
	});
	await page.getByRole('button', { name: 'Enregistrer la visite' }).click();
	await expect(page.getByRole('alert')).toContainText("La tablette est pleine : rien n'a été enregistré.");
	await expect(page.getByText('Visite enregistrée')).toHaveCount(0);
	// The form keeps what was entered, so the crew can retry once space is freed.
	await expect(
		page.getByRole('group', { name: 'Partenaire' }).getByLabel('CAF', { exact: true })
	).toBeChecked();
	const counts = await page.evaluate(
		() =>
			new Promise<number[]>((resolve) => {
				const open = indexedDB.open('escale');
				open.onsuccess = () => {
					const tx = open.result.transaction(['visits', 'outbox']);
					const visits = tx.objectStore('visits').count();
					const outbox = tx.objectStore('outbox').count();
					tx.oncomplete = () => resolve([visits.result, outbox.result]);
				};
			})
	);
	expect(counts).toEqual([0, 0]);
});

for (const [orientation, viewport] of [
	['portrait', { width: 800, height: 1280 }],
	['landscape', { width: 1280, height: 800 }],
	['small portrait', { width: 600, height: 960 }]
] as const) {
	test(`the check-in screen fits a tablet in ${orientation}, with 44 px targets`, async ({
		page,
		context
	}) => {
		await page.setViewportSize(viewport);
		await enrollOnAServiceDay(page, context, BUS);
		await page.goto('/equipage/accueillir');
		await fillRequest(page, 1, {
			partner: 'CAF',
			theme: 'Famille - Scolarité',
			outcome: 'Orientée vers un partenaire'
		});
		await page.getByLabel("La personne accepte d'être recontactée par le partenaire").check();
		const overflow = await page.evaluate(
			() => document.documentElement.scrollWidth - document.documentElement.clientWidth
		);
		expect(overflow).toBeLessThanOrEqual(0);
		const tooSmall = await page.evaluate(() =>
			[...document.querySelectorAll('main button, main a, main select, main input, main label.choice')]
				.filter((element) => {
					if (element instanceof HTMLInputElement && element.closest('label.choice')) return false;
					const box = element.getBoundingClientRect();
					return box.width > 0 && box.height < 44;
				})
				.map((element) => element.outerHTML.slice(0, 80))
		);
		expect(tooSmall).toEqual([]);
	});
}

test('a visitor is checked in with the keyboard alone', async ({ page, context }) => {
	await enrollOnAServiceDay(page, context, BUS);
	await page.goto('/equipage/accueillir');
	const request = page.getByRole('region', { name: 'Demande 1', exact: true });
	// Into the partner tiles, then arrows and Tab as in any radio group; Enter sends the form.
	await request.getByRole('group', { name: 'Partenaire' }).getByRole('radio').first().focus();
	await page.keyboard.press('Space');
	await page.keyboard.press('ArrowRight');
	await page.keyboard.press('Tab');
	await page.keyboard.press('Space');
	await page.keyboard.press('Tab');
	await page.keyboard.press('ArrowRight');
	await expect(request.getByRole('group', { name: 'Partenaire' }).getByRole('radio').nth(1)).toBeChecked();
	await expect(request.getByRole('group', { name: 'Thème' }).getByRole('radio').first()).toBeChecked();
	await expect(request.getByRole('group', { name: 'Issue' }).getByLabel('À finir seul')).toBeChecked();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('status').filter({ hasText: 'Visite enregistrée' })).toContainText(
		"(1 aujourd'hui)"
	);
	// Focus goes back to the top of the form, ready for the next visitor.
	await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
});

test("the check-in's old address leads to the new one, query and language kept", async ({
	page,
	request
}) => {
	for (const [from, to] of [
		['/equipage/accueil', '/equipage/accueillir'],
		[
			'/equipage/accueil?corriger=5b0f2c1e-8a4d-4e6b-9c3a-1f2e3d4c5b6a',
			'/equipage/accueillir?corriger=5b0f2c1e-8a4d-4e6b-9c3a-1f2e3d4c5b6a'
		],
		['/en/equipage/accueil', '/en/equipage/accueillir']
	] as const) {
		const answer = await request.get(from, { maxRedirects: 0 });
		expect(answer.status(), from).toBe(308);
		expect(answer.headers().location, from).toBe(to);
	}
	await page.goto('/equipage/accueil');
	await expect(page).toHaveURL(/\/equipage\/accueillir$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Accueillir un visiteur' })).toBeVisible();
});

test('on a two-stop day at 14:03 a visit goes to the afternoon stop from the menu; a card decides for itself', async ({
	page,
	context
}) => {
	// Vouziers stops at the same place twice a day: 9 h - 12 h and 13 h - 16 h 30.
	const date = await enrollOnAServiceDay(page, context, BUS);
	const [year, month, day] = date.split('-').map(Number) as [number, number, number];
	await context.clock.setFixedTime(new TZDate(year, month - 1, day, 14, 3, 'Europe/Paris'));

	await page.goto('/equipage');
	await page.getByRole('link', { name: 'Accueillir', exact: true }).click();
	// The stop, in large type at the top of the form; the day's two stops, one tap apart.
	const stopNow = page.getByTestId('stop-now');
	await expect(stopNow).toHaveText(/^Passage\s+\S.*, .+ 13 h – 16 h 30$/);
	expect(
		await stopNow.evaluate((element) => parseFloat(getComputedStyle(element).fontSize))
	).toBeGreaterThanOrEqual(24);
	const stops = page.getByRole('group', { name: 'Changer de passage' });
	await expect(stops.getByRole('radio')).toHaveCount(2);
	await expect(stops.getByRole('radio', { checked: true })).toHaveAccessibleName(/^13 h – 16 h 30 \S/);
	await checkIn(page, [{ partner: 'CAF', theme: 'Famille - Scolarité', outcome: 'Résolue' }]);
	await expect(stops.getByRole('radio', { checked: true })).toHaveAccessibleName(/^13 h – 16 h 30 /);

	// One tap on the morning's tile: the large type follows.
	await stops.getByRole('radio', { name: /^9 h – 12 h / }).check();
	await expect(stopNow).toHaveText(/ 9 h – 12 h$/);
	expect(await wcagViolations(page)).toEqual([]);

	// The morning's card, tapped late: the crew said which stop, the hour does not overrule it.
	await page.goto('/equipage');
	await page
		.getByRole('article')
		.filter({ has: page.getByRole('heading', { name: /· 9 h – 12 h/ }) })
		.getByRole('link', { name: 'Accueillir un visiteur' })
		.click();
	await expect(stops.getByRole('radio', { checked: true })).toHaveAccessibleName(/^9 h – 12 h /);
	await expect(stopNow).toHaveText(/ 9 h – 12 h$/);
});

test('partner and theme tiles keep their place after check-ins; the last choice is marked, not moved', async ({
	page,
	context
}) => {
	await enrollOnAServiceDay(page, context, BUS);
	await page.goto('/equipage/accueillir');
	const request = page.getByRole('region', { name: 'Demande 1', exact: true });
	const tiles = async () => ({
		partners: await request
			.getByRole('group', { name: 'Partenaire' })
			.getByRole('radio')
			.evaluateAll((radios) => radios.map((radio) => (radio as HTMLInputElement).value)),
		themes: await request
			.getByRole('group', { name: 'Thème' })
			.getByRole('radio')
			.evaluateAll((radios) => radios.map((radio) => (radio as HTMLInputElement).value))
	});
	// The fields appear once the tablet's database is read: wait for them, not for time.
	await expect(request.getByRole('group', { name: 'Thème' }).getByRole('radio').first()).toBeVisible();
	const before = await tiles();
	expect(before.partners.slice(0, 3)).toEqual(['DGFIP', 'CAF', 'CPAM']);
	await checkIn(page, [{ partner: 'La Poste', theme: 'Logement', outcome: 'Résolue' }]);
	await checkIn(page, [{ partner: 'CAF', theme: 'Famille - Scolarité', outcome: 'Résolue' }]);
	await expect.poll(tiles).toEqual(before);
	const caf = request.getByRole('group', { name: 'Partenaire' }).getByLabel('CAF', { exact: true });
	await expect(caf).toBeChecked();
	await expect(caf).toHaveAccessibleDescription('dernier choix');
	await expect(
		request.getByRole('group', { name: 'Partenaire' }).getByLabel('La Poste', { exact: true })
	).not.toHaveAccessibleDescription('dernier choix');
	expect(await wcagViolations(page)).toEqual([]);
});

test('a late report shows "En retard (15 min)", never "Tenu", before and after the sync, in both languages', async ({
	page,
	context
}) => {
	await enrollOnAServiceDay(page, context, BUS);
	const firstStop = page.getByRole('article').first();
	await firstStop.getByLabel('En retard', { exact: true }).check();
	await firstStop.getByLabel('Retard estimé').selectOption({ label: '15 min' });
	await firstStop.getByRole('button', { name: 'Enregistrer le signalement' }).click();
	await expect(firstStop.getByRole('status').filter({ hasText: 'Signalement enregistré' })).toBeVisible();
	const badge = firstStop.locator('.badge');
	await expect(badge).toHaveText('En retard (15 min)');
	await expect(firstStop).not.toContainText('Tenu');
	expect(await wcagViolations(page)).toEqual([]);

	// The day comes back from the server with its public status (held, "Retard d'environ 15 min"): still late.
	await page.getByRole('button', { name: 'Synchroniser maintenant' }).click();
	await expect(page.getByTestId('sync-badge')).toHaveText('Tout est envoyé');
	await page.reload();
	await expect(badge).toHaveText('En retard (15 min)');
	await page.goto('/en/equipage');
	await expect(page.getByRole('article').first().locator('.badge')).toHaveText('Late (15 min)');
});

test('the header says how long ago the tablet last reached the server, on every crew screen', async ({
	page,
	context
}) => {
	const date = await enrollOnAServiceDay(page, context, BUS);
	const age = page.getByTestId('sync-age');
	await page.getByRole('button', { name: 'Synchroniser maintenant' }).click();
	await expect(age).toHaveText("Envoyé à l'instant");

	// Six minutes later (the tablet's clock), on other screens, then in English. Offline, so no sync at the
	// pages' start moves the last success on; a sync the scheduler had started ends before the clock moves.
	await context.setOffline(true);
	await waitForSyncIdle(page);
	const [year, month, day] = date.split('-').map(Number) as [number, number, number];
	await context.clock.setFixedTime(new TZDate(year, month - 1, day, 11, 6, 30, 'Europe/Paris'));
	for (const [path, words] of [
		['/equipage/accueillir', 'Envoyé il y a 6 min'],
		['/equipage/journee', 'Envoyé il y a 6 min'],
		['/en/equipage/orientations', 'Sent 6 min ago']
	] as const) {
		await page.goto(path);
		await expect(age, path).toHaveText(words);
	}
	expect(await wcagViolations(page)).toEqual([]);
});
