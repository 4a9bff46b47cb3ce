/**
 * Pages: the HTML of the public and crew areas, network first so a connected visitor always gets today's
 * schedule, with this build's copy as the fallback when the line is down or too slow.
 */
import { base } from '$service-worker';
import type { WorkboxPlugin } from 'workbox-core';
import { ExpirationPlugin } from 'workbox-expiration';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import { PAGES_CACHE } from './caches';

/** The crew app's screens: every one must open offline, on a tablet that has been online once. */
const CREW_PAGES = [
	'/equipage',
	'/equipage/accueillir',
	'/equipage/journee',
	'/equipage/orientations',
	'/equipage/reglages'
];

const CREW_AREA = new RegExp(`^${base}(/en)?/equipage(/|$)`);

/** Stored at install, so they open offline after one online visit: public home and crew app, both languages. */
export const OFFLINE_PAGES: readonly string[] = [
	'/',
	...CREW_PAGES,
	'/en',
	...CREW_PAGES.map((p) => `/en${p}`)
].map((path) => (path === '/' ? `${base}/` : base + path));

/**
 * The server data of those pages (`__data.json`), which SvelteKit fetches when the app navigates without a full
 * reload (back to the home page, say): without it, such a navigation offline would end on an error page.
 */
const OFFLINE_PAGE_DATA: readonly string[] = ['/__data.json', '/en/__data.json'].map((path) => base + path);

/**
 * On 2G (50 kbit/s, 500 ms round trips) a page that has not started to answer after 4 s is usually stuck:
 * the stored copy is then more useful than a blank screen. When nothing is stored, the network keeps going.
 */
const NETWORK_TIMEOUT_SECONDS = 4;

/**
 * Never through this route: /api/ (machine answers, never cached) and the coordination area (an online office
 * tool whose pages may carry personal data, which must not sit in a browser cache). Tested on the decoded path,
 * as the server routes it: `/%63oordination` is the coordination area too.
 */
const NOT_CACHED = [new RegExp(`^${base}/+api/`), new RegExp(`^${base}(/+en)?/+coordination(/|$)`)];

export function isNeverCached(pathname: string): boolean {
	let decoded = pathname;
	try {
		decoded = decodeURIComponent(pathname);
	} catch {
		// A malformed escape: the server answers 400 or 404, never a page to keep.
	}
	return NOT_CACHED.some((pattern) => pattern.test(decoded));
}

/**
 * Only our own complete pages are stored: an error page, or a captive portal's redirect answered in place of
 * ours, must not replace the good copy; and never a member's page, which the server marks (`x-escale-private`)
 * whatever the address that reached it. (Not `Cache-Control: no-store`: SvelteKit sends it with every page's
 * data, the public ones included, which must stay readable offline.)
 */
export function isCacheablePage(response: Response): boolean {
	return (
		response.status === 200 &&
		!response.redirected &&
		response.type === 'basic' &&
		!response.headers.has('x-escale-private')
	);
}

const onlyOwnPages: WorkboxPlugin = {
	cacheWillUpdate: async ({ response }) => (isCacheablePage(response) ? response : null)
};

/** Install step: fetches and stores the offline pages of this build; install fails (and is retried) if one fails. */
export async function cacheOfflinePages(): Promise<void> {
	const cache = await caches.open(PAGES_CACHE);
	await Promise.all(
		[...OFFLINE_PAGES, ...OFFLINE_PAGE_DATA].map(async (path) => {
			// `reload` skips the HTTP cache: the page must match this build's assets, not a previous one.
			const response = await fetch(new Request(path, { cache: 'reload', credentials: 'same-origin' }));
			if (!isCacheablePage(response)) throw new Error(`${path} answered ${response.status}: not stored`);
			await cache.put(path, response);
		})
	);
}

/** Routes navigations in the offline areas: network first with a timeout, then this build's stored copy. */
export function routePages(): void {
	const strategy = new NetworkFirst({
		cacheName: PAGES_CACHE,
		networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS,
		plugins: [onlyOwnPages, new ExpirationPlugin({ maxEntries: 50, purgeOnQuotaError: true })]
	});
	// The crew's screens read everything from the tablet's database: a query (`?corriger=<id>`) changes nothing
	// the server sends, so the stored copy of the screen answers whatever it says, offline too.
	const crewStrategy = new NetworkFirst({
		cacheName: PAGES_CACHE,
		networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS,
		matchOptions: { ignoreSearch: true },
		plugins: [onlyOwnPages, new ExpirationPlugin({ maxEntries: 50, purgeOnQuotaError: true })]
	});
	registerRoute(new NavigationRoute(crewStrategy, { allowlist: [CREW_AREA] }));
	registerRoute(({ request, url }) => request.mode === 'navigate' && !isNeverCached(url.pathname), strategy);
	// SvelteKit adds `?x-sveltekit-invalidated=...` to data requests: the stored copy answers whatever it says.
	const dataStrategy = new NetworkFirst({
		cacheName: PAGES_CACHE,
		networkTimeoutSeconds: NETWORK_TIMEOUT_SECONDS,
		matchOptions: { ignoreSearch: true },
		plugins: [onlyOwnPages, new ExpirationPlugin({ maxEntries: 50, purgeOnQuotaError: true })]
	});
	registerRoute(
		({ url, request, sameOrigin }) =>
			sameOrigin &&
			request.method === 'GET' &&
			url.pathname.endsWith('/__data.json') &&
			!isNeverCached(url.pathname),
		dataStrategy
	);
}

const OFFLINE_TEXT = {
	fr: {
		title: 'Hors ligne',
		body: "Cette page n'est pas encore enregistrée sur cet appareil. Elle s'ouvrira au retour du réseau.",
		home: ['/', 'Horaires du bus'],
		crew: ['/equipage', 'Équipage']
	},
	en: {
		title: 'Offline',
		body: 'This page has not been saved on this device yet. It will open once the network is back.',
		home: ['/en', 'Bus timetable'],
		crew: ['/en/equipage', 'Crew']
	}
} as const;

const OFFLINE_STYLE =
	'body{font:1.0625rem/1.5 system-ui,sans-serif;margin:2rem auto;max-width:40rem;padding:0 1rem;color:#1a1a1a}' +
	'a{display:inline-block;min-height:44px;padding:.5rem 0;margin-right:1.5rem;color:#0b4f6c}';

/** What a navigation gets when the network fails and no copy is stored: a short page that says so. */
export function respondOffline(url: URL): Response {
	const lang = url.pathname === `${base}/en` || url.pathname.startsWith(`${base}/en/`) ? 'en' : 'fr';
	const text = OFFLINE_TEXT[lang];
	const link = ([path, label]: readonly [string, string]) => `<a href="${base}${path}">${label}</a>`;
	const html = `<!doctype html>
<html lang="${lang}">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text.title} · Escale</title>
<style>${OFFLINE_STYLE}</style>
<h1>${text.title}</h1>
<p>${text.body}</p>
<p>${link(text.home)}${link(text.crew)}</p>
</html>`;
	return new Response(html, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } });
}
