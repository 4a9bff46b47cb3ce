/**
 * The app shell: every file Vite built (JS, CSS, fonts) and every file in static/ (icons, manifest), stored at
 * install so the app starts with no network at all.
 */
import { build, files, version } from '$service-worker';
import type { PrecacheEntry } from 'workbox-precaching';

/** Files under /_app/immutable/ carry a content hash in their name; the others are revised with the build. */
const isHashed = (url: string): boolean => url.includes('/_app/immutable/');

/** The precache manifest: hashed files need no revision, unhashed ones are refreshed on each new build. */
export function listAppShell(): PrecacheEntry[] {
	return [...build, ...files].map((url) => ({ url, revision: isHashed(url) ? null : version }));
}
