/**
 * Where the sign-in page sends a coordinator afterwards (`?suite=`). Only a path of the coordination area
 * on this site is followed: anything else (another host, `//host`, `\\host`, a scheme, control characters,
 * the sign-in and sign-out pages) falls back to the area's home, so the parameter can never be an open redirect.
 */

const AREA = /^\/(en\/)?coordination(\/|$|\?)/;
/** Sign-in and sign-out: never a destination after signing in. */
const SIGN_IN = /^\/(en\/)?coordination\/(de)?connexion(\/|$|\?)/;
const MAX_LENGTH = 512;

/** The coordination home in the locale of `path` (French unless it starts with /en/). */
export function coordinationHome(path: string): string {
	return path.startsWith('/en/') ? '/en/coordination' : '/coordination';
}

/** The sign-in page, in the locale of `path`. */
export function signInPath(path: string): string {
	return `${coordinationHome(path)}/connexion`;
}

/** `raw` if it is a safe coordination path on this site, else `fallback`. */
export function safeNextPath(raw: string | null | undefined, fallback = '/coordination'): string {
	if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_LENGTH) return fallback;
	// Backslashes and control characters: browsers turn `/\evil` into `//evil`.
	// eslint-disable-next-line no-control-regex
	if (/[\\\u0000-\u001f\u007f]/.test(raw)) return fallback;
	if (!raw.startsWith('/') || raw.startsWith('//')) return fallback;
	let parsed: URL;
	try {
		parsed = new URL(raw, 'https://escale.invalid');
	} catch {
		return fallback;
	}
	if (parsed.origin !== 'https://escale.invalid') return fallback;
	const path = parsed.pathname + parsed.search;
	if (!AREA.test(path) || SIGN_IN.test(path)) return fallback;
	return path;
}
