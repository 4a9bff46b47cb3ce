/**
 * Issue 4, the tablet itself: a full disk never shows a false "Enregistré" and leaves nothing half-written, and
 * the check-in screen fits a tablet held either way (no sideways scrolling, 44 px targets).
 */
import { TZDate } from '@date-fns/tz';
import { expect, test } from '@playwright/test';
import { checkIn, enrollOnAServiceDay, fillRequest } from './support/crew';

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
	const stops = page.getByRole('group', { name: 'Passage' });
	await expect(stops.getByRole('radio', { checked: true })).toHaveAccessibleName(/, 13 h$/);
	await checkIn(page, [{ partner: 'CAF', theme: 'Famille - Scolarité', outcome: 'Résolue' }]);
	await expect(stops.getByRole('radio', { checked: true })).toHaveAccessibleName(/, 13 h$/);

	// The morning's card, tapped late: the crew said which stop, the hour does not overrule it.
	await page.goto('/equipage');
	await page
		.getByRole('article')
		.filter({ has: page.getByRole('heading', { name: /· 9 h – 12 h/ }) })
		.getByRole('link', { name: 'Accueillir un visiteur' })
		.click();
	await expect(stops.getByRole('radio', { checked: true })).toHaveAccessibleName(/, 9 h$/);
});
