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

/** Where the build's hashed files live: their name changes with their content. */
export const IMMUTABLE_PREFIX = '/_app/immutable/';
const VALIDATORS = new Set(['etag', 'last-modified']);

/**
 * A hashed file is cached for a year as `immutable`: no browser ever asks whether it changed, so its `ETag` and
 * `Last-Modified` (which sirv, adapter-node's static server, always writes) are bytes for nothing. A public page
 * loads about 25 of them: about 80 bytes each, 2 KB of the page's 60 KB budget on a 2G line. Other files (the
 * service worker script, icons, the manifest) keep their validators: they are revalidated.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
export function dropValidatorsOfImmutableFiles(req, res) {
	if (!req.url?.startsWith(IMMUTABLE_PREFIX)) return;
	const writeHead = res.writeHead.bind(res);
	/**
	 * writeHead(status, [message], [headers]): the headers, when given, are an object or an array of pairs.
	 * @param {number} statusCode
	 * @param {...unknown} rest
	 */
	const withoutValidators = (statusCode, ...rest) => {
		for (const arg of rest) {
			if (arg && typeof arg === 'object' && !Array.isArray(arg)) {
				const headers = /** @type {Record<string, unknown>} */ (arg);
				for (const name of Object.keys(headers)) if (VALIDATORS.has(name.toLowerCase())) delete headers[name];
			}
		}
		for (const name of VALIDATORS) res.removeHeader(name);
		return /** @type {(...args: unknown[]) => import('node:http').ServerResponse} */ (writeHead)(
			statusCode,
			...rest
		);
	};
	res.writeHead = /** @type {typeof res.writeHead} */ (withoutValidators);
}
