import { redirect, type Handle, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { getStore, startServer } from '$lib/server/app';
import { readSession } from '$lib/server/auth/coordinators';
import { SESSION_COOKIE, sessionCookieOptions } from '$lib/server/auth/cookie';
import { signInPath } from '$lib/server/auth/next-path';
import { handleSecurityHeaders } from '$lib/server/http/security-headers';

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

const COORDINATION = /^\/(en\/)?coordination(\/|$)/;
const SIGN_IN = /^\/(en\/)?coordination\/connexion\/?$/;

/**
 * The coordination area (and its English twin) is for signed-in coordinators: a request without a live
 * session is sent to the sign-in page with `suite` = where it was going (303; SvelteKit turns a redirect
 * thrown here into the right answer for a page, its __data.json and an enhanced form action). The sign-in
 * page and its POST stay open. /api/* is left alone: tablets authenticate with their bearer token.
 */
const handleCoordinatorAuth: Handle = async ({ event, resolve }) => {
	event.locals.coordinator = null;
	const path = event.url.pathname;
	if (!COORDINATION.test(path)) return resolve(event);
	const token = event.cookies.get(SESSION_COOKIE);
	const session = token ? await readSession(getStore(), token) : null;
	if (session) {
		event.locals.coordinator = session.coordinator;
		// The cookie slides with the session.
		event.cookies.set(SESSION_COOKIE, token ?? '', sessionCookieOptions(event.url));
	} else if (token) {
		event.cookies.delete(SESSION_COOKIE, { path: '/' });
	}
	if (session || SIGN_IN.test(path)) return resolve(event);
	const suite = path + event.url.search;
	redirect(303, `${signInPath(path)}?suite=${encodeURIComponent(suite)}`);
};

export const handle: Handle = sequence(
	handleSecurityHeaders,
	handleCacheHeaders,
	handleLocale,
	handleCoordinatorAuth
);
