/**
 * The update flow. A new worker installs beside the old one and then WAITS: it never calls skipWaiting() on its
 * own. Activating at once would let Workbox delete the old build's precached files while an open tab still needs
 * them (its lazy chunks, its CSS), and would swap code under a crew member in the middle of a visit
 * (docs/offline-data-loss.md, item 8; workbox issue #3126). The page announces "Nouvelle version disponible"
 * and, only when the user accepts, sends { type: 'SKIP_WAITING' } (workbox-window's messageSkipWaiting), then
 * reloads once.
 */
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches } from 'workbox-precaching';
import { deleteOutdatedCaches } from './caches';

declare const self: ServiceWorkerGlobalScope;

interface SkipWaitingMessage {
	type: 'SKIP_WAITING';
}

function isSkipWaiting(data: unknown): data is SkipWaitingMessage {
	return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SKIP_WAITING';
}

export function handleUpdates(): void {
	self.addEventListener('message', (event) => {
		if (isSkipWaiting(event.data)) event.waitUntil(self.skipWaiting());
	});

	// On the very first install no page depends on an older worker: take control at once, so the visit that
	// installed the app is already served (and can go offline) without a reload. On an update this runs only
	// after the user accepted, when every tab is about to reload anyway.
	clientsClaim();

	// Old builds' caches go once this worker is active, i.e. after the user accepted the update (or every tab
	// of the old version was closed).
	cleanupOutdatedCaches();
	self.addEventListener('activate', (event) => event.waitUntil(deleteOutdatedCaches()));
}
