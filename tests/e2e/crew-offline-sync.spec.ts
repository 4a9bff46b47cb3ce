/**
 * Issue 3: a tablet records 50 visits offline through the check-in form, is reloaded offline, then goes online:
 * the server holds exactly those 50, once each.
 */
import { TZDate } from '@date-fns/tz';
import { expect, test } from '@playwright/test';
import { checkIn, enrollOnAServiceDay, readServerRecords, readDeviceVisitIds } from './support/crew';

const BUS = 'Bus France services La Rur@linette';

test('50 visits recorded offline reach the server exactly once after a reload', async ({ page, context }) => {
	test.setTimeout(180_000);
	const date = await enrollOnAServiceDay(page, context, BUS);
	const [year, month, day] = date.split('-').map(Number) as [number, number, number];
	const opening = new TZDate(year, month - 1, day, 11, 0, 'Europe/Paris').getTime();
	await context.setOffline(true);
	await page.goto('/equipage/accueillir');

	// The first visitor sets the choices; the next ones are the common case: the remembered choices, one tap.
	await checkIn(page, [{ partner: 'Impôts', theme: 'Argent - Impôts - Consommation', outcome: 'Résolue' }]);
	for (let n = 2; n <= 50; n++) {
		// The tablet's clock is pinned: each visitor comes 3 s after the last, past the 2-second window in
		// which the same visit again is taken for a double tap (crew-withdraw.spec.ts).
		await context.clock.setFixedTime(opening + (n - 1) * 3_000);
		await page.getByRole('button', { name: 'Enregistrer la visite' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Visite enregistrée' })).toContainText(
			`(${n} aujourd'hui)`
		);
	}

	await page.reload();
	await expect(page.getByTestId('sync-badge')).toHaveText("50 en attente d'envoi");
	const recorded = await readDeviceVisitIds(page);
	expect(recorded).toHaveLength(50);

	await context.setOffline(false);
	await page.goto('/equipage');
	await page.getByRole('button', { name: 'Synchroniser maintenant' }).click();
	await expect(page.getByTestId('sync-badge')).toHaveText('Tout est envoyé');
	expect(readServerRecords(BUS).visitIds).toEqual(recorded);
});
