/**
 * The only way into a route's server code: every `load`, form action and endpoint is wrapped with the
 * permission it needs, and receives the caller (narrowed by the rule) and the store only through here.
 * The hook's route check (hooks.server.ts, routes.ts) is a convenience in front; these are the locks, so a
 * request that slips past the hook still opens nothing.
 *
 *   export const load: PageServerLoad = guard('referral.read', async (event, { caller, store }) => ...);
 *   export const POST: RequestHandler = guardApi('sync.push', ({ request }, { store }) => ...);
 *
 * `guard` answers a refusal as a page does (signed out: 303 to the sign-in page, which SvelteKit turns into
 * the right answer for a page, its __data.json and an enhanced form; wrong role: the 403 page). `guardApi`
 * answers it in the API's JSON error shape (401, 403). Each wrapped function carries its permission
 * (`ACCESS_RULE`), which the door tests read.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { localizeHref, m } from '$lib/i18n';
import { getStore } from '../app';
import { safeNextPath } from '../auth/next-path';
import { apiError } from '../http/api-error';
import type { Store } from '../store/store';
import { ANONYMOUS, type Caller } from './caller';
import { decide, type CallerFor, type Permission, type Refusal } from './policy';

export const ACCESS_RULE: unique symbol = Symbol.for('escale.access.rule');

export interface Guarded {
	readonly [ACCESS_RULE]: Permission;
}

/** What a guarded handler receives besides its event. */
export interface Access<P extends Permission> {
	caller: CallerFor<P>;
	/** The server's store, opened at start. */
	readonly store: Store;
}

/** The caller the hook identified; anonymous if the hook did not run (nothing is ever assumed). */
export function callerOf(event: Pick<RequestEvent, 'locals'>): Caller {
	return (event.locals as Partial<App.Locals> | undefined)?.caller ?? ANONYMOUS;
}

function access<P extends Permission>(caller: Caller): Access<P> {
	return {
		caller: caller as CallerFor<P>,
		get store() {
			return getStore();
		}
	};
}

function tag<F extends (...args: never[]) => unknown>(permission: Permission, fn: F): F & Guarded {
	return Object.defineProperty(fn, ACCESS_RULE, { value: permission, enumerable: false }) as F & Guarded;
}

/** The permission a route export was wrapped with, or undefined if it was not wrapped. */
export function ruleOf(value: unknown): Permission | undefined {
	return typeof value === 'function' ? (value as Partial<Guarded>)[ACCESS_RULE] : undefined;
}

/** Where a signed-out caller is sent: the sign-in page, then back here (a GET page only, never an action). */
export function signInLocation(event: RequestEvent): string {
	const here = event.url.pathname + (event.request.method === 'GET' ? event.url.search : '');
	const suite = safeNextPath(here, '');
	const signIn = localizeHref('/coordination/connexion');
	return suite ? `${signIn}?suite=${encodeURIComponent(suite)}` : signIn;
}

/**
 * The sign-in redirect as an answer, for the hook (a redirect thrown from a hook would skip the headers the
 * outer hooks add): an enhanced form action gets it as JSON, as SvelteKit's client reads it; a page 303 (which
 * SvelteKit itself turns into JSON for a `__data.json` request).
 */
export function signInAnswer(event: RequestEvent): Response {
	const location = signInLocation(event);
	// As SvelteKit reads it: an action asked for without HTML in `Accept` (fetch, curl's */*) answers JSON.
	const accept = event.request.headers.get('accept') ?? '*/*';
	const actionJson = event.request.method === 'POST' && !/text\/html/i.test(accept);
	if (actionJson) {
		return new Response(JSON.stringify({ type: 'redirect', status: 303, location }), {
			headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }
		});
	}
	return new Response(null, { status: 303, headers: { location } });
}

/** Refuses as a page: 303 to the sign-in page for nobody, the 403 page for a caller without the right. */
export function refusePage(event: RequestEvent, refusal: Refusal): never {
	if (refusal === 'unauthenticated') redirect(303, signInLocation(event));
	error(403, m.access_forbidden());
}

/** Refuses as the API: JSON 401 for nobody, 403 for a removed tablet or a caller without the right. */
export function refuseApi(refusal: Refusal): Response {
	if (refusal === 'unauthenticated') return apiError('unauthenticated');
	return apiError(refusal === 'device_revoked' ? 'device_revoked' : 'forbidden');
}

/** Wraps a page or layout `load`, a form action, or an endpoint answered like a page. */
export function guard<P extends Permission, E extends RequestEvent, R>(
	permission: P,
	handler: (event: E, access: Access<P>) => R
): ((event: E) => R) & Guarded {
	return tag(permission, (event: E): R => {
		const caller = callerOf(event);
		const decision = decide(caller, permission);
		if (!decision.allowed) refusePage(event, decision.refusal);
		return handler(event, access<P>(caller));
	});
}

/** Wraps an /api endpoint: refusals are JSON in the API's error shape. */
export function guardApi<P extends Permission, E extends RequestEvent>(
	permission: P,
	handler: (event: E, access: Access<P>) => Response | Promise<Response>
): ((event: E) => Promise<Response>) & Guarded {
	return tag(permission, async (event: E): Promise<Response> => {
		const caller = callerOf(event);
		const decision = decide(caller, permission);
		if (!decision.allowed) return refuseApi(decision.refusal);
		return handler(event, access<P>(caller));
	});
}
