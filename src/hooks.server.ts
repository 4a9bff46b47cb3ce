import type { Handle, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { startServer } from '$lib/server/app';

/** Opens the store, applies migrations and seeds the demo data once, before the first request. */
export const init: ServerInit = async () => {
	await startServer();
};

const handleLocale: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});

/**
 * Pages are revalidated on every load (`no-cache` still lets the browser keep a copy): a stale HTML page would
 * point at the files of an older build, and the service worker, not the HTTP cache, is what keeps pages offline
 * (SYNC.md, item 8). A page that chose its own caching keeps it.
 */
const handleCacheHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const isHtml = response.headers.get('content-type')?.startsWith('text/html') ?? false;
	if (isHtml && !response.headers.has('cache-control')) response.headers.set('cache-control', 'no-cache');
	return response;
};

export const handle: Handle = sequence(handleCacheHeaders, handleLocale);
