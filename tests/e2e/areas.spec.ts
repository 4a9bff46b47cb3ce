import { expect, test } from '@playwright/test';
import { wcagViolations } from './support/axe';
import { signIn } from './support/coordination';

const AREAS = [
	{ path: '/', fr: 'Quand passe le bus France services ?', en: 'When does the France services bus come?' },
	{ path: '/equipage', fr: "Tablette de l'équipage", en: 'Crew tablet' },
	{ path: '/coordination', fr: 'Coordination', en: 'Coordination' }
];

test.describe('the three areas', () => {
	for (const area of AREAS) {
		test(`${area.path} reads in French, switches to English and back`, async ({ page }) => {
			if (area.path === '/coordination') await signIn(page);
			await page.goto(area.path);
			await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(area.fr);
			await expect(page.getByRole('link', { name: 'Aller au contenu' })).toBeAttached();

			await page.getByRole('link', { name: 'English' }).click();
			await expect(page.locator('html')).toHaveAttribute('lang', 'en');
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(area.en);
			expect(new URL(page.url()).pathname).toBe(area.path === '/' ? '/en' : `/en${area.path}`);

			await page.getByRole('link', { name: 'Français' }).click();
			await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(area.fr);
		});
	}

	for (const path of AREAS.flatMap((area) => [area.path, area.path === '/' ? '/en' : `/en${area.path}`])) {
		test(`${path} has no WCAG 2.1 A/AA violation that axe-core can find`, async ({ page }) => {
			if (path.endsWith('/coordination')) await signIn(page, path);
			await page.goto(path);
			await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
			expect(await wcagViolations(page)).toEqual([]);
		});
	}

	test('the coordination overview lists the demo circuits of the real network', async ({ page }) => {
		await signIn(page);
		await expect(page.getByText(/compte 163 France services itinérantes/)).toBeVisible();
		const rows = page.getByRole('table', { name: 'Circuits planifiés' }).locator('tbody tr');
		await expect(rows).toHaveCount(4);
		await expect(rows.filter({ hasText: 'America/Guadeloupe' })).toHaveCount(1);
	});

	test('the crew settings say whether the tablet storage is persistent', async ({ page }) => {
		await page.goto('/equipage/reglages');
		const status = page.getByRole('region', { name: 'Stockage sur la tablette' }).getByRole('status');
		await expect(status).toContainText(/Stockage (persistant accordé|non persistant)/);
	});

	test('the public page works at 320 px wide without sideways scrolling', async ({ page }) => {
		await page.setViewportSize({ width: 320, height: 640 });
		await page.goto('/');
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		expect(overflow).toBeLessThanOrEqual(0);
	});
});

test('GET /api/health answers with the version and the database state', async ({ request }) => {
	const response = await request.get('/api/health');
	expect(response.status()).toBe(200);
	expect(response.headers()['cache-control']).toContain('no-store');
	const body = await response.json();
	expect(body).toMatchObject({
		status: 'ok',
		version: '0.1.0',
		database: { engine: 'sqlite', journalMode: 'wal', ok: true }
	});
	expect(body.database.schemaVersion).toBeGreaterThanOrEqual(1);
});
