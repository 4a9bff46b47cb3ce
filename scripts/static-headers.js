/**
 * The security header scripts/serve.js gives every answer, before SvelteKit sees the request: the static files
 * (scripts, styles, icons, the manifest, the service worker script) get only this one. SvelteKit's answers get it
 * again from its hook with the others (src/lib/server/http/security-headers.ts; a unit test keeps the value equal).
 * No Referrer-Policy here: a file's policy only governs the requests the file itself makes, and these make none
 * outside this site; on the 24 files of a public page it would cost 0.7 KB of the 60 KB budget for nothing.
 * No HSTS: whether the request came over TLS is SvelteKit's to say (ORIGIN, PROTOCOL_HEADER), and the pages,
 * which every visit loads first, carry it then.
 */
export const STATIC_SECURITY_HEADERS = Object.freeze({
	'x-content-type-options': 'nosniff'
});

/**
 * Sets those headers on a Node response before any handler writes it.
 * @param {import('node:http').ServerResponse} res
 */
export function setStaticSecurityHeaders(res) {
	for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) res.setHeader(name, value);
}
