/**
 * Escale's service worker: caching and the update flow only (no business logic). After one online visit the
 * public pages and the crew app open with no network at all.
 *
 * - precache.ts: the app shell (built files and static/), stored at install;
 * - pages.ts: the offline pages, stored at install, then network first with a timeout;
 * - caches.ts: cache names per build, and the clean-up of old ones;
 * - update.ts: a new version waits until the user accepts it.
 *
 * Nothing under /api/ is routed here: API answers always come from the network and are never cached.
 */
import { ExpirationPlugin } from 'workbox-expiration';
import { precacheAndRoute } from 'workbox-precaching';
import { registerRoute, setCatchHandler } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { ASSETS_CACHE } from './caches';
import { cacheOfflinePages, respondOffline, routePages } from './pages';
import { listAppShell } from './precache';
import { handleUpdates } from './update';

declare const self: ServiceWorkerGlobalScope;

precacheAndRoute(listAppShell());
self.addEventListener('install', (event) => event.waitUntil(cacheOfflinePages()));

routePages();

// A page fetched online while an older worker is in charge may point at hashed files of a newer build: keep
// those too, so that page still opens offline. Hashed names never change content, hence cache first.
registerRoute(
	({ url, sameOrigin }) => sameOrigin && url.pathname.includes('/_app/immutable/'),
	new CacheFirst({
		cacheName: ASSETS_CACHE,
		plugins: [new ExpirationPlugin({ maxEntries: 100, purgeOnQuotaError: true })]
	})
);

setCatchHandler(async ({ request, url }) =>
	request.mode === 'navigate' ? respondOffline(url) : Response.error()
);

handleUpdates();
