/** The coordinator cookies' attributes, in one place for the guard (hooks.server.ts) and the sign-in. */
import { SESSION_TTL_MS } from './members';
import { DEVICE_COOKIE_TTL_MS } from './device-cookie';

export { SESSION_COOKIE } from './members';
export { DEVICE_COOKIE } from './device-cookie';

/** HttpOnly (no script reads it), SameSite=Lax, path /, `Secure` when the request came over https, 12 h. */
export function sessionCookieOptions(url: URL) {
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax' as const,
		secure: url.protocol === 'https:',
		maxAge: SESSION_TTL_MS / 1000
	};
}

/** The device cookie (auth/device-cookie.ts): the same attributes, kept 180 days; it opens no session. */
export function deviceCookieOptions(url: URL) {
	return { ...sessionCookieOptions(url), maxAge: DEVICE_COOKIE_TTL_MS / 1000 };
}
