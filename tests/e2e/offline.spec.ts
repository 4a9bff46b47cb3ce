import { expect, test } from '@playwright/test';
import {
	expectHeading,
	readStoredCaches,
	waitForServiceWorkerControl,
	watchFailures
} from './support/service-worker';

const PUBLIC = { path: '/', heading: 'Quand passe le bus France services ?' };
const CREW = { path: '/equipage', heading: "Tablette de l'équipage" };
const PUBLIC_EN = { path: '/en', heading: 'When does the France services bus come?' };
const CREW_EN = { path: '/en/equipage', heading: 'Crew tablet' };
const BRAND_COLOUR = 'rgb(11, 79, 108)';

test.describe('after one online visit', () => {
	test('the public page and the crew app open with no network at all, with their assets', async ({
		page,
		context
	}, testInfo) => {
		await page.goto(PUBLIC.path);
		await expectHeading(page, PUBLIC.heading);
		const worker = await waitForServiceWorkerControl(page);
		expect(new URL(worker).pathname).toBe('/service-worker.js');
		await page.goto(CREW.path);
		await expectHeading(page, CREW.heading);

		const stored = await readStoredCaches(page);
		expect(stored.pages).toEqual(expect.arrayContaining(['/', '/equipage', '/en', '/en/equipage']));
		expect(stored.precache.entries).toBeGreaterThan(0);
		const summary = `App shell precache: ${stored.precache.entries} entries, ${(stored.precache.bytes / 1024).toFixed(1)} KB as stored (uncompressed)`;
		console.log(summary);
		await testInfo.attach('precache.txt', { body: `${summary}\n${stored.names.join('\n')}\n` });

		await context.setOffline(true);
		const failures = watchFailures(page);
		const fromWorker: string[] = [];
		page.on('response', (response) => {
			if (response.fromServiceWorker() && response.url().includes('/_app/immutable/'))
				fromWorker.push(response.url());
		});

		const crew = await page.reload();
		expect(crew?.fromServiceWorker()).toBe(true);
		await expectHeading(page, CREW.heading);

		await page.goto(PUBLIC.path);
		await expectHeading(page, PUBLIC.heading);
		await page.reload();
		await expectHeading(page, PUBLIC.heading);
		await page.goto(CREW.path);
		await expectHeading(page, CREW.heading);

		// The home page's server data, which the client router asks for when it navigates without a reload,
		// is answered by the worker's cache whatever SvelteKit's query string says.
		const data = await page.evaluate(async () => {
			const response = await fetch('/__data.json?x-sveltekit-invalidated=01');
			return { status: response.status, body: await response.text() };
		});
		expect(data.status).toBe(200);
		expect(data.body).toContain('upcoming');

		// The stylesheet and the scripts came from the worker's cache: the page is styled and nothing failed.
		await expect(page.locator('header').first()).toHaveCSS('background-color', BRAND_COLOUR);
		expect(fromWorker.some((url) => url.endsWith('.css'))).toBe(true);
		expect(fromWorker.some((url) => url.endsWith('.js'))).toBe(true);
		expect(failures).toEqual([]);
	});

	test('the English pages were stored too, without being visited', async ({ page, context }) => {
		await page.goto(PUBLIC.path);
		await waitForServiceWorkerControl(page);

		await context.setOffline(true);
		const failures = watchFailures(page);
		await page.goto(PUBLIC_EN.path);
		await expectHeading(page, PUBLIC_EN.heading);
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await page.goto(CREW_EN.path);
		await expectHeading(page, CREW_EN.heading);
		expect(failures).toEqual([]);
	});

	test('a page never stored says it is offline instead of a browser error', async ({ page, context }) => {
		await page.goto(CREW.path);
		await waitForServiceWorkerControl(page);

		await context.setOffline(true);
		// The query makes a URL the worker has never stored: it must try the network (down) and then say so.
		const response = await page.goto(`${CREW.path}?jamais-vue=1`);
		expect(response?.status()).toBe(503);
		await expectHeading(page, 'Hors ligne');
		await expect(page.getByRole('link', { name: 'Équipage' })).toHaveAttribute('href', '/equipage');
	});
});

test.describe('installable app', () => {
	test('links a valid web app manifest with reachable icons', async ({ page, request }) => {
		await page.goto(PUBLIC.path);
		const href = await page.locator('link[rel="manifest"]').getAttribute('href');
		expect(href).not.toBeNull();
		const manifestUrl = new URL(href ?? '', page.url()).href;

		const response = await request.get(manifestUrl);
		expect(response.status()).toBe(200);
		expect(response.headers()['content-type']).toMatch(/^application\/manifest\+json/);
		const manifest = (await response.json()) as {
			name: string;
			short_name: string;
			description: string;
			lang: string;
			start_url: string;
			scope: string;
			display: string;
			theme_color: string;
			background_color: string;
			icons: Array<{ src: string; sizes: string; type: string; purpose?: string }>;
		};
		expect(manifest).toMatchObject({
			name: 'Escale – Bus France services',
			short_name: 'Escale',
			lang: 'fr',
			start_url: '/',
			scope: '/',
			display: 'standalone',
			theme_color: '#0b4f6c',
			background_color: '#ffffff'
		});
		expect(manifest.description.length).toBeGreaterThan(20);

		const png = (purpose: string, size: number) =>
			manifest.icons.find(
				(icon) => icon.type === 'image/png' && icon.purpose === purpose && icon.sizes === `${size}x${size}`
			);
		for (const [purpose, size] of [
			['any', 192],
			['any', 512],
			['maskable', 512]
		] as const) {
			const icon = png(purpose, size);
			expect(icon, `${purpose} icon ${size}px`).toBeDefined();
			const image = await request.get(new URL(icon?.src ?? '', manifestUrl).href);
			expect(image.status()).toBe(200);
			expect(image.headers()['content-type']).toBe('image/png');
			// A PNG's IHDR chunk holds its width and height at bytes 16 and 20.
			const bytes = await image.body();
			expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([size, size]);
		}
	});

	test('serves the pages and the service worker so that browsers always revalidate them', async ({
		request
	}) => {
		for (const path of [PUBLIC.path, CREW.path, '/service-worker.js']) {
			const response = await request.get(path);
			expect(response.status(), path).toBe(200);
			expect(response.headers()['cache-control'], path).toBe('no-cache');
		}
	});
});
