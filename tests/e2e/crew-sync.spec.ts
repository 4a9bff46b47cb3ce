import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { freshEnrollmentCode } from './support/crew';
import { waitForServiceWorkerControl } from './support/service-worker';

const BUS = 'Bus France services de Vouziers';

test('a tablet enrolls with a one-time code, then keeps its bus and schedule offline', async ({
	page,
	context
}) => {
	const code = await freshEnrollmentCode(page, BUS);
	await page.goto('/equipage');
	await waitForServiceWorkerControl(page);

	const codeField = page.getByLabel("Code d'enrôlement");
	await codeField.fill('ZZZZ-9999');
	await page.getByRole('button', { name: 'Enrôler la tablette' }).click();
	await expect(page.getByRole('alert')).toContainText("Ce code n'est pas valable");
	await expect(codeField).toHaveAttribute('aria-invalid', 'true');

	await codeField.fill(code.toLowerCase());
	await page.getByRole('button', { name: 'Enrôler la tablette' }).click();
	await expect(page.getByRole('heading', { name: `Aujourd'hui · ${BUS}` })).toBeVisible();
	const days = page.getByRole('list', { name: 'Prochains passages' }).getByRole('listitem');
	await expect(days.first()).toBeVisible();
	const sync = page.getByRole('region', { name: 'Envoi au bureau' });
	await expect(sync).toContainText('Tout est envoyé.');
	await expect(sync).toContainText('Dernière synchronisation réussie');

	const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
	expect(axe.violations.map((violation) => violation.id)).toEqual([]);

	await context.setOffline(true);
	await page.reload();
	await expect(page.getByRole('heading', { name: `Aujourd'hui · ${BUS}` })).toBeVisible();
	await expect(days.first()).toBeVisible();
	await page.getByRole('button', { name: 'Synchroniser maintenant' }).click();
	await expect(sync.getByRole('alert')).toContainText('Pas de réseau');

	await context.setOffline(false);
	await page.getByRole('button', { name: 'Synchroniser maintenant' }).click();
	await expect(sync.getByRole('alert')).toHaveCount(0);
	await expect(sync).toContainText('Dernière synchronisation réussie');
});

test('a code works only once', async ({ page, browser }) => {
	const code = await freshEnrollmentCode(page, 'Bus France services La Rur@linette');
	const first = await browser.newContext();
	const second = await browser.newContext();
	try {
		for (const [context, expected] of [
			[first, /Aujourd'hui · /],
			[second, /Ce code n'est pas valable/]
		] as const) {
			const tablet = await context.newPage();
			await tablet.goto('/equipage');
			await tablet.getByLabel("Code d'enrôlement").fill(code);
			await tablet.getByRole('button', { name: 'Enrôler la tablette' }).click();
			await expect(tablet.getByRole('main')).toContainText(expected);
		}
	} finally {
		await first.close();
		await second.close();
	}
});
