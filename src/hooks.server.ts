import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { refuseApi, signInAnswer } from '$lib/server/access/guard';
import { identifyCaller } from '$lib/server/access/identify';
import { decide } from '$lib/server/access/policy';
import { isApiRoute, isMemberRoute, looksLikeApiPath, routeRule } from '$lib/server/access/routes';
import { getStore, startServer, stopServer } from '$lib/server/app';
import { SESSION_COOKIE, sessionCookieOptions } from '$lib/server/auth/cookie';
import { isCrossSiteForm } from '$lib/server/http/cross-site';
import { log } from '$lib/server/log';
import { apiError, codeForStatus, isJsonResponse } from '$lib/server/http/api-error';
import { handleSecurityHeaders } from '$lib/server/http/security-headers';

/**
 * Opens the store, applies migrations and seeds the demo data once, before the first request; closes it when
 * the server stops gracefully (scripts/serve.js emits 'sveltekit:shutdown' once the last request has ended).
 */
export const init: ServerInit = async () => {
	await startServer();
	// serve.js awaits what each listener returns: the store is closed before the process exits.
	// eslint-disable-next-line @typescript-eslint/no-misused-promises
	process.once('sveltekit:shutdown', () => stopServer());
};

/**
 * An unexpected error of a page, a form action or an endpoint: logged as one line (log.ts: the route, never
 * the URL, whose query may hold what a person typed), answered with SvelteKit's generic message. A 404 is
 * no error of the server's and is not logged.
 */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status >= 500) {
		log().error('page.unexpected', `Escale ${event.route.id ?? 'unknown route'}: unexpected error`, error);
	}
	return { message };
};

/**
 * A form sent from another site is refused before anything runs (CSRF). SvelteKit's own check is turned off
 * (svelte.config.js) because it answers in plain text; this one is the same rule, answered in JSON on the API.
 */
const handleCrossSiteForms: Handle = ({ event, resolve }) => {
	if (!isCrossSiteForm(event.request, event.url)) return resolve(event);
	if (isApiRoute(event.route.id)) return apiError('cross_site');
	return new Response(`Cross-site ${event.request.method} form submissions are forbidden`, {
		status: 403,
		headers: { 'Content-Type': 'text/plain; charset=utf-8' }
	});
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
 * (docs/sync-protocol.md). A page that chose its own caching keeps it. A member's pages and their data are never
 * stored anywhere (`no-store`, which the service worker obeys too): they are read online, and a shared computer
 * must not show them to the next person.
 */
const handleCacheHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (isMemberRoute(event.route.id)) {
		response.headers.set('cache-control', 'private, no-store');
		// Read by the service worker (src/service-worker/pages.ts), which never stores such an answer.
		response.headers.set('x-escale-private', 'member');
		return response;
	}
	const isHtml = response.headers.get('content-type')?.startsWith('text/html') ?? false;
	if (isHtml && !response.headers.has('cache-control')) response.headers.set('cache-control', 'no-cache');
	return response;
};

/**
 * Says who is calling (`locals.caller`), for every request, whatever its path: a tablet by its bearer token, a
 * member by the session cookie, else anonymous. Decides nothing. On a member's routes the session cookie slides
 * with the session (a stale one is deleted); public answers never set a cookie.
 */
const handleCaller: Handle = ({ event, resolve }) => {
	const authorization = event.request.headers.get('authorization');
	// A tablet (a bearer token) syncs in the background and tries again by itself: its database work waits behind
	// that of people at a screen (Store.lowPriority). 200 tablets reconnecting at once queued 200 reads ahead of a
	// resident's page on PostgreSQL.
	if (authorization !== null) return getStore().lowPriority(() => identified(event, resolve, authorization));
	return identified(event, resolve, authorization);
};

async function identified(
	event: Parameters<Handle>[0]['event'],
	resolve: Parameters<Handle>[0]['resolve'],
	authorization: string | null
): Promise<Response> {
	const { caller, staleSession } = await identifyCaller(getStore(), {
		authorization,
		sessionToken: event.cookies.get(SESSION_COOKIE)
	});
	event.locals.caller = caller;
	const memberRoute = isMemberRoute(event.route.id);
	if (memberRoute && caller.kind === 'member') {
		event.cookies.set(
			SESSION_COOKIE,
			event.cookies.get(SESSION_COOKIE) ?? '',
			sessionCookieOptions(event.url)
		);
	} else if (memberRoute && staleSession) {
		event.cookies.delete(SESSION_COOKIE, { path: '/' });
	}
	return resolve(event);
}

/**
 * Refuses, before any route code runs, what the resolved route's rule refuses (src/lib/server/access/routes.ts),
 * and every route without a rule. Decided on `event.route.id`, the route SvelteKit resolved from the decoded
 * path, never on the raw path. A convenience: each load, action and endpoint is guarded on its own.
 */
const handleRouteAccess: Handle = ({ event, resolve }) => {
	const routeId = event.route.id;
	if (routeId === null) return resolve(event);
	const rule = routeRule(routeId);
	const api = isApiRoute(routeId);
	if (rule === undefined) {
		return api ? apiError('not_found') : new Response('Not found', { status: 404 });
	}
	const decision = decide(event.locals.caller, rule);
	if (decision.allowed) return resolve(event);
	if (api) return refuseApi(decision.refusal);
	// A signed-in member without the role gets the route's own 403 page from its guards (rendered with the
	// site's headers); nobody is sent to sign in from here, before any of the route's code runs.
	return decision.refusal === 'forbidden' ? resolve(event) : signInAnswer(event);
};

/**
 * Every /api answer is JSON: an error SvelteKit or the Node adapter made in another shape (405 for a method, a
 * thrown error) is answered again in the API's error shape, with the same status and headers such as `Allow`.
 */
const handleApiAnswers: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const api = isApiRoute(event.route.id) || (event.route.id === null && looksLikeApiPath(event.url.pathname));
	if (response.status < 400 || !api) return response;
	if (isJsonResponse(response) && (await hasErrorShape(response))) return response;
	const allow = response.headers.get('allow');
	return apiError(codeForStatus(response.status), allow ? { Allow: allow } : {});
};

async function hasErrorShape(response: Response): Promise<boolean> {
	try {
		const body = (await response.clone().json()) as { error?: { code?: unknown; message?: unknown } };
		return typeof body.error?.code === 'string' && typeof body.error.message === 'string';
	} catch {
		return false;
	}
}

export const handle: Handle = sequence(
	handleSecurityHeaders,
	handleCrossSiteForms,
	handleApiAnswers,
	handleCacheHeaders,
	handleLocale,
	handleCaller,
	handleRouteAccess
);
