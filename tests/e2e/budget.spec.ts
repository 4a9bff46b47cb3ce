import { expect, test } from '@playwright/test';

/** README "Budgets": the public page, HTML + CSS + JS, compressed, as a resident's phone downloads it. */
const PUBLIC_PAGE_BUDGET_BYTES = 60 * 1024;
const COUNTED_TYPES = new Set(['document', 'stylesheet', 'script']);

test.describe('public page budget', () => {
	// Only the page itself counts: the service worker's precache is measured on its own (closing notes).
	test.use({ serviceWorkers: 'block' });

	test('weighs under 60 KB compressed, HTML, CSS and JS together', async ({ page }, testInfo) => {
		const sizes: Array<{ url: string; type: string; bytes: number }> = [];
		page.on('requestfinished', (request) => {
			const type = request.resourceType();
			if (!COUNTED_TYPES.has(type)) return;
			sizes.push({ url: new URL(request.url()).pathname, type, bytes: 0 });
			const entry = sizes[sizes.length - 1]!;
			void request.sizes().then((s) => {
				entry.bytes = s.responseBodySize + s.responseHeadersSize;
			});
		});
		await page.goto('/', { waitUntil: 'networkidle' });
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expect.poll(() => sizes.every((entry) => entry.bytes > 0)).toBe(true);

		const total = sizes.reduce((sum, entry) => sum + entry.bytes, 0);
		const report = sizes.map((entry) => `${entry.type.padEnd(10)} ${entry.bytes}\t${entry.url}`).join('\n');
		await testInfo.attach('public-page-weight.txt', { body: `${report}\ntotal ${total} bytes\n` });
		console.log(`Public page / weighs ${(total / 1024).toFixed(1)} KB compressed (${sizes.length} files)`);
		expect(sizes.some((entry) => entry.type === 'document')).toBe(true);
		expect(total).toBeLessThan(PUBLIC_PAGE_BUDGET_BYTES);
	});

	test('is served compressed', async ({ request }) => {
		const response = await request.get('/', { headers: { 'Accept-Encoding': 'gzip' } });
		expect(response.headers()['content-encoding']).toBe('gzip');
	});
});

test.describe('public page without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('renders its content', async ({ page }) => {
		await page.goto('/');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Quand passe le bus France services ?');
		await expect(page.getByRole('heading', { name: 'Prochains passages' })).toBeVisible();
		await expect(
			page.getByRole('list', { name: 'Prochains passages' }).getByRole('listitem').first()
		).toBeVisible();
	});

	test('switches to English with a plain link', async ({ page }) => {
		await page.goto('/');
		await page.getByRole('link', { name: 'English' }).click();
		await expect(page).toHaveURL(/\/en\/?$/);
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'When does the France services bus come?'
		);
	});
});
