/**
 * Sign-out (POST from the coordination layout): deletes the session row and the cookie, then goes to the
 * sign-in page. A plain form POST, so SvelteKit's origin check guards it against cross-site requests.
 */
import { redirect } from '@sveltejs/kit';
import { guard } from '$lib/server/access/guard';
import { closeSession } from '$lib/server/auth/members';
import { SESSION_COOKIE } from '$lib/server/auth/cookie';
import { signInPath } from '$lib/server/auth/next-path';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = guard('member.signOut', async ({ cookies, url }, { store }) => {
	await closeSession(store, cookies.get(SESSION_COOKIE));
	cookies.delete(SESSION_COOKIE, { path: '/' });
	redirect(303, signInPath(url.pathname));
});
