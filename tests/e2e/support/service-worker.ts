/**
 * Helpers for tests that depend on the service worker: wait until it is in charge, and read what it stored.
 */
import { expect, type Page } from '@playwright/test';

/**
 * Resolves once the page is controlled by an active worker. Activation comes after a successful install, so by
 * then the app shell and the offline pages are stored. An install that did not finish in time is given one more
 * chance, as a browser does at the next visit (a reload registers the worker again); if that fails too, the error
 * says what state the registration was in.
 */
export async function waitForServiceWorkerControl(page: Page): Promise<string> {
	const controlled = () =>
		page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 25_000 });
	try {
		await controlled();
	} catch {
		const state = await registrationState(page);
		await page.reload();
		try {
			await controlled();
		} catch (error) {
			throw new Error(
				`no service worker in charge (first try: ${state}; then: ${await registrationState(page)})`,
				{
					cause: error
				}
			);
		}
	}
	return page.evaluate(async () => {
		const registration = await navigator.serviceWorker.ready;
		return registration.active?.scriptURL ?? '';
	});
}

/** "installing: installing, waiting: none, active: none", for an error message. */
function registrationState(page: Page): Promise<string> {
	return page.evaluate(async () => {
		const registration = await navigator.serviceWorker.getRegistration();
		if (!registration) return 'not registered';
		const of = (worker: ServiceWorker | null) => worker?.state ?? 'none';
		return `installing: ${of(registration.installing)}, waiting: ${of(registration.waiting)}, active: ${of(registration.active)}`;
	});
}

export interface StoredCaches {
	names: string[];
	precache: { entries: number; bytes: number };
	pages: string[];
}

/** Lists the caches of this origin: the Workbox precache (entries and bytes as stored) and the stored pages. */
export function readStoredCaches(page: Page): Promise<StoredCaches> {
	return page.evaluate(async () => {
		const names = await caches.keys();
		const precacheName = names.find((name) => name.startsWith('workbox-precache'));
		let entries = 0;
		let bytes = 0;
		if (precacheName) {
			const precache = await caches.open(precacheName);
			for (const request of await precache.keys()) {
				const response = await precache.match(request);
				entries += 1;
				bytes += response ? (await response.arrayBuffer()).byteLength : 0;
			}
		}
		const pagesName = names.find((name) => name.startsWith('escale-pages-'));
		const pages = pagesName
			? (await (await caches.open(pagesName)).keys()).map((request) => new URL(request.url).pathname)
			: [];
		return { names, precache: { entries, bytes }, pages };
	});
}

/**
 * Collects the requests of a page that fail or answer with an error, to prove nothing was missing offline.
 * API calls are left out: they are meant to fail offline (the app queues its writes and says it is offline).
 */
export function watchFailures(page: Page): string[] {
	const failures: string[] = [];
	const isApi = (url: string) => new URL(url).pathname.startsWith('/api/');
	page.on('requestfailed', (request) => {
		if (!isApi(request.url())) failures.push(`${request.url()} ${request.failure()?.errorText ?? ''}`);
	});
	page.on('response', (response) => {
		if (response.status() >= 400 && !isApi(response.url()))
			failures.push(`${response.url()} ${response.status()}`);
	});
	return failures;
}

/** The h1 of the page, once it is there. */
export async function expectHeading(page: Page, text: string): Promise<void> {
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(text);
}
