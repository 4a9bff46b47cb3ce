/**
 * The rule of each route, by the id SvelteKit resolved (`event.route.id`: decoded, after `/en/` is taken
 * off, never the raw path). The hook refuses what a route's rule refuses before any of its code runs, and
 * refuses every route missing from this table (deny by default). It is a convenience in front of the locks:
 * each `load`, action and endpoint is guarded on its own (guard.ts). The route door test
 * (tests/e2e/doors.spec.ts, src/routes/access.spec.ts) fails for a route that is not listed here.
 *
 * A route's rule is the least its exports need: a page whose load needs `referral.read` has that rule; its
 * form action may need more (`referral.move`), which its own guard checks.
 */
import type { RouteId } from '$app/types';
import { POLICY, type Permission } from './policy';

export const ROUTE_RULES: Partial<Record<RouteId, Permission>> = {
	'/(public)': 'public.read',
	'/(public)/accessibilite': 'public.read',
	'/(public)/arrets/[id]': 'public.read',
	'/(public)/communes/[slug]': 'public.read',
	'/(public)/communes/[slug]/affiche': 'public.read',
	'/(public)/demarches': 'public.read',
	'/equipage': 'crew.app',
	// The check-in's old address, which only redirects to /equipage/accueillir (kept for bookmarks).
	'/equipage/accueil': 'crew.app',
	'/equipage/accueillir': 'crew.app',
	'/equipage/journee': 'crew.app',
	'/equipage/orientations': 'crew.app',
	'/equipage/reglages': 'crew.app',
	'/coordination': 'coordination.read',
	'/coordination/connexion': 'member.signIn',
	'/coordination/deconnexion': 'member.signOut',
	'/coordination/orientations': 'referral.read',
	'/api/[...rest]': 'public.read',
	'/api/health': 'public.read',
	'/api/open/buses.csv': 'public.read',
	'/api/open/buses.json': 'public.read',
	'/api/open/calendars/communes/[slug].ics': 'public.read',
	'/api/open/calendars/stops/[stopId].ics': 'public.read',
	'/api/open/communes/[departement].json': 'public.read',
	'/api/open/service-days.csv': 'public.read',
	'/api/open/service-days.json': 'public.read',
	'/api/open/stops.csv': 'public.read',
	'/api/open/stops.json': 'public.read',
	'/api/sync/enroll': 'sync.enroll',
	'/api/sync/pull': 'sync.pull',
	'/api/sync/push': 'sync.push'
};

/** The rule of a resolved route; undefined for a route with no rule (refused) or no route (404). */
export function routeRule(routeId: string | null): Permission | undefined {
	return routeId === null ? undefined : ROUTE_RULES[routeId as RouteId];
}

/**
 * Whether a resolved route is a member's: it needs a member, or is the sign-in or sign-out. Its answers slide
 * the session cookie and are never stored by a cache (the browser's, the service worker's, a proxy's).
 */
export function isMemberRoute(routeId: string | null): boolean {
	const rule = routeRule(routeId);
	return rule !== undefined && (POLICY[rule].who === 'member' || rule.startsWith('member.'));
}

/** Whether a resolved route answers as the API (JSON errors) rather than as a page. */
export function isApiRoute(routeId: string | null): boolean {
	return routeId !== null && (routeId === '/api' || routeId.startsWith('/api/'));
}

/**
 * Whether an answer to a path no route matched should still be JSON because the path reads as the API's
 * (`/API/…`, `//api/…`, `/%61pi/…`). Only the format of a 404 depends on it: nothing is ever allowed on a path.
 */
export function looksLikeApiPath(pathname: string): boolean {
	let decoded = pathname;
	try {
		decoded = decodeURIComponent(pathname);
	} catch {
		// A malformed escape: judge the path as sent.
	}
	return /^\/+(en\/+)?api(\/|$)/i.test(decoded);
}
