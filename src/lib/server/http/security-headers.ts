/**
 * The HTTP security headers of every answer SvelteKit gives (pages, their data, form actions, the API, errors).
 * The Content-Security-Policy itself is SvelteKit's (svelte.config.js, `kit.csp`): it adds the hash of each page's
 * inline boot script. Static files are answered before SvelteKit sees them: scripts/serve.js gives them nosniff
 * (scripts/static-headers.js, kept in line by a unit test).
 */
import type { Handle } from '@sveltejs/kit';

/**
 * The public search (`/` and `/en`, the same route): the only page that asks for the reader's position, for
 * "Autour de moi". The policy follows the route SvelteKit resolved, never the raw path.
 */
export const PUBLIC_SEARCH_ROUTE = '/(public)';

/**
 * Powerful features no page of Escale uses, refused to every page and to anything it might embed: those that reach
 * the person (camera, microphone, screen, sensors) or devices and money. Kept short: the header is on every page,
 * and the public pages fit in 60 KB headers included.
 */
const UNUSED_FEATURES = [
	'camera',
	'microphone',
	'display-capture',
	'accelerometer',
	'gyroscope',
	'magnetometer',
	'payment',
	'usb',
	'serial',
	'hid',
	'midi'
] as const;

/** A year, the usual minimum for HSTS; subdomains too, since they are Escale's to serve over TLS as well. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

/** `Permissions-Policy` for a route: geolocation for this site on the public search only, nothing else anywhere. */
export function permissionsPolicy(routeId: string | null): string {
	const geolocation = routeId === PUBLIC_SEARCH_ROUTE ? 'geolocation=(self)' : 'geolocation=()';
	return [geolocation, ...UNUSED_FEATURES.map((feature) => `${feature}=()`)].join(', ');
}

/**
 * For every answer SvelteKit gives: no type is guessed from the bytes, and no address is ever sent as a Referer
 * (a link to OpenStreetMap says nothing of the commune page it came from). Under `no-referrer` a browser sends
 * `Origin: null` with a form posted without JavaScript: the cross-site check reads Fetch Metadata then
 * (src/lib/server/http/cross-site.ts).
 */
export const EVERY_ANSWER_HEADERS: Readonly<Record<string, string>> = Object.freeze({
	'referrer-policy': 'no-referrer',
	'x-content-type-options': 'nosniff'
});

/**
 * The headers for an answer of `routeId` (null: no route matched) to a request for `url`, of type `contentType`.
 * Permissions-Policy and X-Frame-Options only mean something for a document (an HTML page): API answers, read
 * by tablets on slow lines, do not carry them. HSTS only when the request reached the server over TLS as
 * SvelteKit sees it (ORIGIN, or PROTOCOL_HEADER behind a TLS proxy): a plain-http LAN must not be promised TLS.
 */
export function securityHeaders(
	routeId: string | null,
	url: URL,
	contentType: string | null
): Record<string, string> {
	const headers: Record<string, string> = { ...EVERY_ANSWER_HEADERS };
	if (contentType?.startsWith('text/html')) {
		headers['permissions-policy'] = permissionsPolicy(routeId);
		// For browsers that predate the policy's frame-ancestors (old phones): no page is ever framed.
		headers['x-frame-options'] = 'DENY';
	}
	if (url.protocol === 'https:') headers['strict-transport-security'] = STRICT_TRANSPORT_SECURITY;
	return headers;
}

/** Sets `headers` on `response`, on a copy if its headers are immutable (a response fetched from elsewhere). */
export function withHeaders(response: Response, headers: Record<string, string>): Response {
	let target = response;
	try {
		for (const [name, value] of Object.entries(headers)) target.headers.set(name, value);
	} catch {
		target = new Response(response.body, response);
		for (const [name, value] of Object.entries(headers)) target.headers.set(name, value);
	}
	return target;
}

/** Adds the security headers to whatever SvelteKit answers, according to the route it resolved. */
export const handleSecurityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const contentType = response.headers.get('content-type');
	return withHeaders(response, securityHeaders(event.route.id, event.url, contentType));
};
