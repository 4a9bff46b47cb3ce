/**
 * Member sign-in, open to all (its rule is `member.signIn`: anyone). A success opens a
 * session (cookie: see $lib/server/auth/cookie) and goes on to `suite` if it is a safe coordination path.
 * Failures get one message whatever was wrong (unknown email or wrong password). The brake (auth/brake.ts)
 * answers an attempt that comes too early with 429 and Retry-After, without checking its password; a success
 * also sets the device cookie, which spares this browser the account's brake.
 */
import { redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { m } from '$lib/i18n';
import { guard } from '$lib/server/access/guard';
import { getDemoMember } from '$lib/server/app';
import { signInBrake } from '$lib/server/auth/brake';
import { readClientAddress } from '$lib/server/http/client-address';
import { parseForm, refuse } from '$lib/server/http/form';
import { openSession, signIn } from '$lib/server/auth/members';
import {
	DEVICE_COOKIE,
	deviceCookieOptions,
	SESSION_COOKIE,
	sessionCookieOptions
} from '$lib/server/auth/cookie';
import { coordinationHome, safeNextPath } from '$lib/server/auth/next-path';
import { MAX_PASSWORD_LENGTH } from '$lib/server/auth/password';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = guard('member.signIn', ({ url }, { caller }) => {
	const home = coordinationHome(url.pathname);
	const suite = safeNextPath(url.searchParams.get('suite'), home);
	if (caller.kind === 'member') redirect(303, suite);
	// Demo credentials, not a person's: shown only when the server seeded the demo.
	return { suite, demo: getDemoMember() };
});

const SignInForm = v.object({
	email: v.pipe(v.string(), v.trim(), v.minLength(3), v.maxLength(254)),
	password: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_PASSWORD_LENGTH))
});

export const actions: Actions = {
	default: guard(
		'member.signIn',
		async ({ request, cookies, url, getClientAddress, setHeaders }, { store }) => {
			const form = await request.formData();
			const suite = safeNextPath(form.get('suite')?.toString(), coordinationHome(url.pathname));
			const email = form.get('email');
			// What was typed is sent back with a refusal (never the password).
			const values = { email: typeof email === 'string' ? email.slice(0, 254) : '' };
			const parsed = parseForm(form, SignInForm, {
				messages: { email: m.coordination_auth_error_email, password: m.coordination_auth_error_password },
				values
			});
			if (!parsed.ok) return parsed.failure;
			const result = await signIn(store, signInBrake, {
				email: parsed.data.email,
				password: parsed.data.password,
				clientAddress: readClientAddress(getClientAddress),
				deviceCookie: cookies.get(DEVICE_COOKIE)
			});
			if (!result.ok && result.reason === 'throttled') {
				const seconds = result.retryAfterSeconds;
				setHeaders({ 'retry-after': String(seconds) });
				const message =
					seconds < 60
						? m.coordination_auth_throttled_seconds({ seconds: String(seconds) })
						: m.coordination_auth_throttled_minutes({ minutes: String(Math.ceil(seconds / 60)) });
				return refuse(429, { code: 'throttled', message }, values);
			}
			if (!result.ok)
				return refuse(401, { code: 'invalid_credentials', message: m.coordination_auth_invalid() }, values);
			cookies.set(DEVICE_COOKIE, result.deviceCookie, deviceCookieOptions(url));
			const { token } = await openSession(store, result.member.id);
			cookies.set(SESSION_COOKIE, token, sessionCookieOptions(url));
			redirect(303, suite);
		}
	)
};
