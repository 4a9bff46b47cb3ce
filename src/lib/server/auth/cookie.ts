/** The coordinator session cookie's attributes, in one place for the guard (hooks.server.ts) and the sign-in. */
import { SESSION_TTL_MS } from './coordinators';

export { SESSION_COOKIE } from './coordinators';

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
