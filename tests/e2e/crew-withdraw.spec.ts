/**
 * Issue 11, item 3: two taps on "Enregistrer" a moment apart ask before a second identical visit is recorded,
 * and a visit recorded by mistake is withdrawn the same day. All offline: the withdrawn visit leaves the day
 * summary at once; after the sync the server holds the visit and its withdrawal, and the coordination's count
 * of the bus's visits leaves it out.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { enrollOnAServiceDay, fillRequest, readDeviceVisitIds, readServerRecords } from './support/crew';

const BUS = 'Bus France services du Ruffecois';

async function axeViolations(page: Page): Promise<string[]> {
	const result = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	return result.violations.map((violation) => `${violation.id}: ${violation.nodes.length}`);
}

/** The bus's visits as the coordination overview counts them (its row in "Circuits planifiés"). */
async function coordinationVisitCount(page: Page): Promise<number> {
	await page.goto('/coordination');
	const table = page.getByRole('table', { name: 'Circuits planifiés' });
	const header = await table.getByRole('columnheader').allInnerTexts();
	const column = header.findIndex((text) => text.trim() === 'Visites');
	expect(column).toBeGreaterThan(0);
	const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(BUS) }) });
	return Number(
		await row
			.getByRole('cell')
			.nth(column - 1)
			.innerText()
	);
}

/** The ids of the visits withdrawn on the tablet (its IndexedDB). */
function readDeviceWithdrawnIds(page: Page): Promise<string[]> {
	return page.evaluate(
		() =>
			new Promise<string[]>((resolve, reject) => {
				const open = indexedDB.open('escale');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const request = open.result
						.transaction('visitWithdrawals')
						.objectStore('visitWithdrawals')
						.getAllKeys();
					request.onerror = () => reject(request.error);
					request.onsuccess = () => {
						open.result.close();
						resolve(request.result as string[]);
					};
				};
			})
	);
}

test('a double tap asks first; a visit withdrawn offline leaves the day, and reaches the server as a withdrawal', async ({
	page,
	context
}) => {
	test.setTimeout(120_000);
	await enrollOnAServiceDay(page, context, BUS);
	const countedBefore = await coordinationVisitCount(page);
	await context.setOffline(true);
	await page.goto('/equipage/accueillir');
	await fillRequest(page, 1, { partner: 'CAF', theme: 'Famille - Scolarité', outcome: 'Résolue' });

	// Two taps: the button waits while the first save runs, so the second lands as soon as it is back, well
	// within 2 seconds, on a form that starts from the same choices.
	const save = page.getByRole('button', { name: 'Enregistrer la visite' });
	await save.click();
	await save.click();
	const question = page.getByRole('dialog', { name: 'Visite en double ?' });
	await expect(question).toBeVisible();
	await expect(question).toContainText(
		"Une visite identique vient d'être enregistrée. En enregistrer une deuxième ?"
	);
	await expect(question.getByRole('button', { name: 'Ne pas enregistrer' })).toBeFocused();
	expect(await axeViolations(page)).toEqual([]);
	expect(await readDeviceVisitIds(page)).toHaveLength(1);

	// No: nothing recorded, the form as it was, focus back on the button.
	await question.getByRole('button', { name: 'Ne pas enregistrer' }).click();
	await expect(question).toBeHidden();
	await expect(save).toBeFocused();
	await expect(
		page
			.getByRole('region', { name: 'Demande 1', exact: true })
			.getByRole('group', { name: 'Partenaire' })
			.getByLabel('CAF', { exact: true })
	).toBeChecked();
	expect(await readDeviceVisitIds(page)).toHaveLength(1);

	// Asked again, yes: a second visit is recorded.
	await save.click();
	await question.getByRole('button', { name: 'Enregistrer une deuxième visite' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Visite enregistrée' })).toContainText(
		"(2 aujourd'hui)"
	);
	await expect.poll(async () => (await readDeviceVisitIds(page)).length).toBe(2);

	// The day summary: two visits; the second is withdrawn after a confirmation.
	await page.getByRole('link', { name: 'Bilan du jour' }).click();
	const figures = page.locator('dl.figures').first();
	await expect(figures).toContainText('Visites 2');
	await expect(figures).toContainText('Annulées 0');
	const withdrawButtons = page.getByRole('button', { name: /^Annuler la visite de/ });
	await expect(withdrawButtons).toHaveCount(2);
	const confirm = page.getByRole('dialog', { name: 'Annuler cette visite ?' });

	// Escape keeps the visit, and gives focus back to the button that asked.
	await withdrawButtons.last().click();
	await expect(confirm).toBeVisible();
	await expect(confirm.getByRole('button', { name: 'Garder la visite' })).toBeFocused();
	expect(await axeViolations(page)).toEqual([]);
	await page.keyboard.press('Escape');
	await expect(confirm).toBeHidden();
	await expect(withdrawButtons.last()).toBeFocused();
	await expect(figures).toContainText('Visites 2');

	await withdrawButtons.last().click();
	await confirm.getByRole('button', { name: 'Annuler la visite' }).click();
	const done = page.getByRole('status').filter({ hasText: 'annulée' });
	await expect(done).toContainText('ne compte plus dans le bilan');
	await expect(done.locator('p')).toBeFocused();
	await expect(figures).toContainText('Visites 1');
	await expect(figures).toContainText('Annulées 1');
	await expect(withdrawButtons).toHaveCount(1);
	await expect(page.getByRole('list', { name: 'Visites annulées' }).getByRole('listitem')).toHaveCount(1);
	await expect(page.getByTestId('sync-badge')).toHaveText("3 en attente d'envoi");
	expect(await axeViolations(page)).toEqual([]);

	// Still there after a reload, offline.
	await page.reload();
	await expect(page.locator('dl.figures').first()).toContainText('Visites 1');
	await expect(page.locator('dl.figures').first()).toContainText('Annulées 1');
	const recorded = await readDeviceVisitIds(page);
	const withdrawn = await readDeviceWithdrawnIds(page);
	expect(withdrawn).toHaveLength(1);

	// Back online, one sync: the server keeps both visits and the withdrawal of one.
	await context.setOffline(false);
	await page.goto('/equipage');
	await page.getByRole('button', { name: 'Synchroniser maintenant' }).click();
	await expect(page.getByTestId('sync-badge')).toHaveText('Tout est envoyé');
	const server = readServerRecords(BUS);
	expect(server.visitIds).toEqual(recorded);
	expect(server.withdrawnVisitIds).toEqual(withdrawn);

	// The coordination counts one more visit for the bus, not two.
	expect(await coordinationVisitCount(page)).toBe(countedBefore + 1);
});
