/**
 * The caches this worker owns, besides Workbox's precache. Page caches carry the build version: a waiting
 * worker fills its own while the old one, still in charge of open tabs, keeps serving pages whose assets it
 * has, so a tab never receives HTML that points at files its worker does not hold.
 */
import { version } from '$service-worker';

const PREFIX = 'escale-';

/** HTML of the offline areas, for this build only. */
export const PAGES_CACHE = `${PREFIX}pages-${version}`;

/** Hashed files (`/_app/immutable/`) fetched at run time: their names change with their content, so any build may keep them. */
export const ASSETS_CACHE = `${PREFIX}assets`;

const CURRENT = new Set([PAGES_CACHE, ASSETS_CACHE]);

/** Deletes the page caches of earlier builds. Runs on activate, once no tab depends on them any more. */
export async function deleteOutdatedCaches(): Promise<void> {
	const names = await caches.keys();
	await Promise.all(
		names.filter((name) => name.startsWith(PREFIX) && !CURRENT.has(name)).map((name) => caches.delete(name))
	);
}
