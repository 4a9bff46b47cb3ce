/**
 * Coordinator sign-in, open to all (the guard in src/hooks.server.ts lets it through). A success opens a
 * session (cookie: see $lib/server/auth/cookie) and goes on to `suite` if it is a safe coordination path.
 * Failures get one message whatever was wrong (unknown email or wrong password), and the brute-force brake
 * refuses an email for 15 minutes after 5 failures (kept in this process's memory, see auth/throttle.ts).
 */
import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { m } from '$lib/i18n';
import { guard } from '$lib/server/access/guard';
import { getDemoCoordinator } from '$lib/server/app';
import { openSession, signIn } from '$lib/server/auth/coordinators';
import { SESSION_COOKIE, sessionCookieOptions } from '$lib/server/auth/cookie';
import { coordinationHome, safeNextPath } from '$lib/server/auth/next-path';
import { MAX_PASSWORD_LENGTH } from '$lib/server/auth/password';
import { SignInThrottle } from '$lib/server/auth/throttle';
import type { Actions, PageServerLoad } from './$types';

const throttle = new SignInThrottle();

export const load: PageServerLoad = guard('member.signIn', ({ url }, { caller }) => {
	const home = coordinationHome(url.pathname);
	const suite = safeNextPath(url.searchParams.get('suite'), home);
	if (caller.kind === 'member') redirect(303, suite);
	// Demo credentials, not a person's: shown only when the server seeded the demo.
	return { suite, demo: getDemoCoordinator() };
});

const SignInForm = v.object({
	email: v.pipe(v.string(), v.trim(), v.minLength(3), v.maxLength(254)),
	password: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_PASSWORD_LENGTH))
});

export const actions: Actions = {
	default: guard('member.signIn', async ({ request, cookies, url }, { store }) => {
		const form = await request.formData();
		const suite = safeNextPath(form.get('suite')?.toString(), coordinationHome(url.pathname));
		const email = form.get('email');
		const parsed = v.safeParse(SignInForm, { email, password: form.get('password') });
		const echo = typeof email === 'string' ? email.slice(0, 254) : '';
		if (!parsed.success) {
			const field = parsed.issues[0].path?.[0]?.key === 'email' ? 'email' : 'password';
			const message = field === 'email' ? m.coord_auth_error_email() : m.coord_auth_error_password();
			return fail(400, { email: echo, field, message });
		}
		const result = await signIn(store, throttle, parsed.output.email, parsed.output.password);
		if (!result.ok && result.reason === 'locked') {
			const minutes = Math.max(1, Math.ceil((result.until.getTime() - Date.now()) / 60_000));
			return fail(429, {
				email: echo,
				field: null,
				message: m.coord_auth_locked({ minutes: String(minutes) })
			});
		}
		if (!result.ok) return fail(401, { email: echo, field: null, message: m.coord_auth_invalid() });
		const { token } = await openSession(store, result.coordinator.id);
		cookies.set(SESSION_COOKIE, token, sessionCookieOptions(url));
		redirect(303, suite);
	})
};
