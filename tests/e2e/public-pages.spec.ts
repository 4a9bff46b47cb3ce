/**
 * Issue 5, the residents' side: find the bus by typing a commune as people do (without JavaScript), open the
 * commune and stop pages, take the calendar away; after one visit the page still shows offline, with its date.
 * Each public page stays under the 60 KB budget and has no axe-core violation, in French and English.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { waitForServiceWorkerControl } from './support/service-worker';

const PUBLIC_PAGE_BUDGET_BYTES = 60 * 1024;
const COMMUNE = '/communes/saint-aout-36180';

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('a misspelt commune is found, its stop page opens and its calendar downloads', async ({ page }) => {
		await page.goto('/');
		await page.getByLabel('Votre commune ou son code postal').fill('st aoùt');
		await page.getByRole('button', { name: 'Chercher' }).click();
		await expect(page).toHaveURL(/\?q=st(\+|%20)ao/);
		const results = page.getByRole('region', { name: /Communes trouvées/ });
		await expect(results.getByRole('listitem')).toHaveCount(1);
		await expect(results).toContainText('Prochain passage :');
		await results.getByRole('link', { name: 'Saint-Août' }).click();

		await expect(page).toHaveURL(new RegExp(`${COMMUNE}$`));
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'Le bus France services à Saint-Août (36120)'
		);
		await expect(
			page.getByRole('list', { name: 'Prochains passages' }).getByRole('listitem').first()
		).toContainText(/de \d{1,2} h/);
		await expect(
			page.getByRole('link', { name: /Téléphone du bus|Voir sur la carte/ }).first()
		).toBeVisible();
		await page.getByRole('link', { name: 'Page de cet arrêt' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Place de la mairie, Saint-Août');

		const download = page.waitForEvent('download');
		await page.getByRole('link', { name: 'Télécharger le fichier agenda (.ics)' }).click();
		const file = await download;
		expect(file.suggestedFilename()).toMatch(/\.ics$/);
		const text = await (await file.createReadStream()).toArray();
		const ics = Buffer.concat(text).toString('utf8');
		expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
		expect(ics).toContain('BEGIN:VEVENT');
	});

	test('a postal code finds its communes; an unknown commune gets a plain answer', async ({ page }) => {
		await page.goto('/?q=36120');
		await expect(page.getByRole('region', { name: /Communes trouvées/ })).toContainText('Saint-Août');
		await page.goto('/?q=Zzyzx');
		await expect(page.getByText('Aucune commune desservie ne correspond')).toBeVisible();
		const missing = await page.goto('/communes/nowhere-99999');
		expect(missing?.status()).toBe(404);
		await expect(page.getByRole('main')).toContainText("Cette commune n'est pas desservie");
	});

	test('an old spelling of a commune address leads to the page', async ({ page }) => {
		await page.goto('/communes/st-aout-36180');
		await expect(page).toHaveURL(new RegExp(`${COMMUNE}$`));
	});
});

test('after one visit, the commune page still shows offline, with the date of its schedule', async ({
	page,
	context
}) => {
	await page.goto('/');
	await waitForServiceWorkerControl(page);
	await page.goto(COMMUNE);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Saint-Août');
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Saint-Août');
	await expect(page.getByText(/^Horaires mis à jour le /)).toBeVisible();
});

async function stopPath(page: Page): Promise<string> {
	await page.goto(COMMUNE);
	const href = await page.getByRole('link', { name: 'Page de cet arrêt' }).first().getAttribute('href');
	return href ?? '';
}

test.describe('every public page', () => {
	test('has no WCAG 2.1 A/AA violation that axe-core can find, in French and English', async ({ page }) => {
		// Fourteen pages, each loaded and analysed: a few seconds each on two busy cores.
		test.setTimeout(180_000);
		const stop = await stopPath(page);
		const paths = [
			'/?q=saint',
			COMMUNE,
			stop,
			`${COMMUNE}/affiche`,
			'/demarches',
			'/accessibilite',
			'/communes/nowhere-99999'
		];
		for (const path of [...paths, ...paths.map((p) => `/en${p}`)]) {
			await page.goto(path);
			const result = await new AxeBuilder({ page })
				.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
				.analyze();
			expect(
				result.violations.map((violation) => `${path} ${violation.id}`),
				path
			).toEqual([]);
		}
	});

	test.describe('weight', () => {
		test.use({ serviceWorkers: 'block' });

		test('stays under 60 KB compressed, HTML, CSS and JS together', async ({ page }, testInfo) => {
			const stop = await stopPath(page);
			const weights: string[] = [];
			for (const path of ['/?q=saint', COMMUNE, stop, `${COMMUNE}/affiche`, '/demarches', '/accessibilite']) {
				const context = await page.context().browser()!.newContext({ serviceWorkers: 'block' });
				const fresh = await context.newPage();
				const sizes: Promise<number>[] = [];
				fresh.on('requestfinished', (request) => {
					if (!['document', 'stylesheet', 'script'].includes(request.resourceType())) return;
					sizes.push(request.sizes().then((s) => s.responseBodySize + s.responseHeadersSize));
				});
				await fresh.goto(path, { waitUntil: 'networkidle' });
				const total = (await Promise.all(sizes)).reduce((sum, bytes) => sum + bytes, 0);
				weights.push(`${path}: ${(total / 1024).toFixed(1)} KB`);
				await context.close();
				expect(total, path).toBeLessThan(PUBLIC_PAGE_BUDGET_BYTES);
			}
			await testInfo.attach('public-page-weights.txt', { body: weights.join('\n') });
			console.log(`Public page weights: ${weights.join(', ')}`);
		});
	});
});

test('the poster prints on A4 with three months of dates, the phone, what to bring and a QR code', async ({
	page
}) => {
	await page.goto(COMMUNE);
	await page.getByRole('link', { name: 'Affiche à imprimer pour la mairie' }).click();
	const poster = page.getByRole('article', { name: /Le bus France services passe à/ });
	await expect(poster).toContainText('Saint-Août');
	await expect(poster.getByRole('listitem').first()).toBeVisible();
	await expect(poster).toContainText('Pensez à apporter');
	await expect(poster.getByRole('img', { name: /Code QR menant à http/ }).locator('svg')).toBeVisible();
	await page.emulateMedia({ media: 'print' });
	await expect(page.locator('.site-header')).toBeHidden();
	await expect(poster).toBeVisible();
	const pdf = await page.pdf({ format: 'A4', printBackground: true });
	expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
});

test('"Autour de moi" lists the served communes near the reader', async ({ page, context }) => {
	await context.grantPermissions(['geolocation']);
	// Near Saint-Août (Indre).
	await context.setGeolocation({ latitude: 46.71, longitude: 1.97 });
	await page.goto('/');
	await page.getByRole('button', { name: 'Autour de moi' }).click();
	const around = page.getByRole('region', { name: 'Communes desservies autour de vous' });
	await expect(around.getByRole('listitem').first()).toContainText('Saint-Août');
	expect(page.url()).not.toMatch(/46\.7|1\.97/);
});
