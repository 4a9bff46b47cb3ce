/**
 * The security headers scripts/serve.js gives every answer, before SvelteKit sees the request: the static files
 * (scripts, styles, icons, the manifest, the service worker script) get only these. They are the headers SvelteKit's
 * hook gives every answer (EVERY_ANSWER_HEADERS in src/lib/server/http/security-headers.ts; a unit test keeps the
 * two equal); the hook adds those of a page (Permissions-Policy...) and HSTS, which needs to know whether the
 * request came over TLS (ORIGIN, PROTOCOL_HEADER): pages, which every visit loads first, carry it then.
 */
export const STATIC_SECURITY_HEADERS = Object.freeze({
	'referrer-policy': 'same-origin',
	'x-content-type-options': 'nosniff'
});

/**
 * Sets those headers on a Node response before any handler writes it.
 * @param {import('node:http').ServerResponse} res
 */
export function setStaticSecurityHeaders(res) {
	for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) res.setHeader(name, value);
}
