/**
 * The cross-site form check (CSRF) SvelteKit does, in one function the hook can answer in the API's JSON shape:
 * a state-changing method with a content type an HTML form can send, from an origin that is not this site's.
 * JSON bodies are not covered: a browser cannot send them cross-site without a CORS preflight, which Escale
 * never grants.
 */
const FORM_TYPES = [
	'application/x-www-form-urlencoded',
	'multipart/form-data',
	'text/plain',
	// What SvelteKit's enhanced forms may send for binary form data.
	'application/x-sveltekit-formdata'
];
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isFormContentType(request: Request): boolean {
	const type = request.headers.get('content-type')?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
	return FORM_TYPES.includes(type);
}

/**
 * True when `request` is a form submission from another origin than `url`'s (the site as SvelteKit sees it).
 * Under `Referrer-Policy: no-referrer` a browser names the origin of a form posted without JavaScript `null`;
 * it then says where the request came from in `Sec-Fetch-Site`, which no page can set (Fetch Metadata). A
 * browser too old to send it, with JavaScript off, is refused: that case cannot be told from an attack.
 */
export function isCrossSiteForm(request: Request, url: URL): boolean {
	if (!UNSAFE_METHODS.has(request.method) || !isFormContentType(request)) return false;
	const origin = request.headers.get('origin');
	if (origin === url.origin) return false;
	return !(origin === 'null' && request.headers.get('sec-fetch-site') === 'same-origin');
}
