/**
 * Member accounts and sessions. A session is a 256-bit random token held by the browser in an HttpOnly
 * cookie; the store keeps only its SHA-256 (so a database copy opens no session). Sessions slide: each use
 * pushes the expiry 12 h ahead; sign-out deletes the row. Logs and errors never carry a password or a token.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as v from 'valibot';
import type { Role } from '$lib/domain/member';
import type { MemberRecord, Store } from '../store/store';
import type { SignInBrake } from './brake';
import { findDeviceToken, issueDeviceCookie, readDeviceCookieSecret } from './device-cookie';
import { EmailSchema, normalizeEmail } from './email';
import { checkPassword, hashPassword, MAX_PASSWORD_LENGTH, type ScryptParams } from './password';

export { normalizeEmail } from './email';

export const SESSION_COOKIE = 'escale_coordination';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** Asked of new accounts made with scripts/create-member.js (the demo's own password is shorter). */
export const MIN_PASSWORD_LENGTH = 12;

/** What a signed-in request knows of its member (`event.locals.caller`, kind `member`). */
export interface SignedInMember {
	id: string;
	email: string;
	name: string;
	roles: readonly Role[];
}

export class MemberInputError extends Error {
	override name = 'MemberInputError';
}

const NameSchema = v.pipe(
	v.string('name : nom attendu'),
	v.trim(),
	v.minLength(1, 'name : le nom ne peut pas être vide'),
	v.maxLength(80, 'name : 80 caractères au plus'),
	// eslint-disable-next-line no-control-regex
	v.regex(/^[^\u0000-\u001f\u007f]*$/, 'name : caractères de contrôle interdits')
);

export function hashSessionToken(token: string): string {
	return createHash('sha256').update(`escale-coordination:${token}`, 'utf8').digest('hex');
}

const publicView = (record: MemberRecord): SignedInMember => ({
	id: record.id,
	email: record.email,
	name: record.displayName,
	roles: record.roles
});

export interface NewMember {
	email: string;
	name: string;
	password: string;
	/** `coordinateur` when left out. */
	roles?: readonly Role[];
}

/** Creates an account; throws MemberInputError naming the field (bad email, taken email, empty password). */
export async function createMember(
	store: Store,
	input: NewMember,
	now: () => Date = () => new Date(),
	params?: ScryptParams
): Promise<SignedInMember> {
	const email = v.safeParse(EmailSchema, input.email);
	if (!email.success) throw new MemberInputError(email.issues[0].message);
	const name = v.safeParse(NameSchema, input.name);
	if (!name.success) throw new MemberInputError(name.issues[0].message);
	if (input.password.length === 0 || input.password.length > MAX_PASSWORD_LENGTH)
		throw new MemberInputError(`password : entre 1 et ${MAX_PASSWORD_LENGTH} caractères`);
	if (await store.members.getByEmail(email.output))
		throw new MemberInputError('email : un compte existe déjà avec cette adresse');
	const record: MemberRecord = {
		id: randomUUID(),
		email: email.output,
		displayName: name.output,
		roles: [...(input.roles ?? ['coordinateur'])],
		passwordHash: await hashPassword(input.password, params),
		createdAt: now().toISOString(),
		disabledAt: null
	};
	await store.members.insert(record);
	return publicView(record);
}

/** Hashed once, lazily: compared against when the email is unknown, so timing does not tell who has an account. */
let decoy: Promise<string> | null = null;

/** The account's public view if `password` opens `record`; an unknown email (null) costs a hash all the same. */
async function checkCredentials(
	record: MemberRecord | null,
	password: string
): Promise<SignedInMember | null> {
	decoy ??= hashPassword('escale-decoy-password');
	const matches = await checkPassword(password, record?.passwordHash ?? (await decoy));
	if (!record || !matches || record.disabledAt !== null) return null;
	return publicView(record);
}

async function findByEmail(store: Store, email: string): Promise<MemberRecord | null> {
	const normalized = normalizeEmail(email);
	return normalized ? store.members.getByEmail(normalized) : null;
}

/** The member if `email` and `password` match an active account, else null (one answer for every failure). */
export async function verifyPassword(
	store: Store,
	email: string,
	password: string
): Promise<SignedInMember | null> {
	return checkCredentials(await findByEmail(store, email), password);
}

export interface SignInAttempt {
	email: string;
	password: string;
	/** `getClientAddress()` (see readClientAddress in http/client-address.ts). */
	clientAddress: string;
	/** The DEVICE_COOKIE cookie's value, if the browser sent one. */
	deviceCookie: string | undefined;
}

export type SignInResult =
	/** `deviceCookie`: the DEVICE_COOKIE value to set (deviceCookieOptions in auth/cookie.ts). */
	| { ok: true; member: SignedInMember; deviceCookie: string }
	| { ok: false; reason: 'invalid' }
	/** Refused without checking the password: try again in `retryAfterSeconds`. */
	| { ok: false; reason: 'throttled'; retryAfterSeconds: number };

const throttled = (waitMs: number): SignInResult => ({
	ok: false,
	reason: 'throttled',
	retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000))
});

/**
 * verifyPassword behind the brake (auth/brake.ts): an attempt that comes too early is refused before its
 * password is hashed; a success hands back the browser's device cookie, which spares it the account's brake.
 */
export async function signIn(
	store: Store,
	brake: SignInBrake,
	attempt: SignInAttempt,
	now: () => Date = () => new Date()
): Promise<SignInResult> {
	const early = await brake.addressWaitMs(store, attempt.clientAddress, now().getTime());
	if (early > 0) return throttled(early);
	const record = await findByEmail(store, attempt.email);
	const device =
		record && attempt.deviceCookie
			? findDeviceToken(attempt.deviceCookie, await readDeviceCookieSecret(store), record.id, now().getTime())
			: null;
	const admission = await brake.admit(
		store,
		{ clientAddress: attempt.clientAddress, email: attempt.email, device },
		now().getTime()
	);
	if (!admission.ok) return throttled(admission.retryAfterMs);
	const member = await checkCredentials(record, attempt.password);
	if (!member) return { ok: false, reason: 'invalid' };
	await brake.succeeded(store, admission.pass, now().getTime());
	const secret = await readDeviceCookieSecret(store);
	return {
		ok: true,
		member,
		deviceCookie: issueDeviceCookie(attempt.deviceCookie, secret, member.id, now().getTime())
	};
}

/** Starts a session; the token goes into the cookie and nowhere else. Also sweeps expired sessions. */
export async function openSession(
	store: Store,
	memberId: string,
	now: () => Date = () => new Date()
): Promise<{ token: string; expiresAt: Date }> {
	const at = now();
	const token = randomBytes(32).toString('base64url');
	const expiresAt = new Date(at.getTime() + SESSION_TTL_MS);
	await store.members.deleteExpiredSessions(at.toISOString());
	await store.members.insertSession({
		id: hashSessionToken(token),
		memberId,
		createdAt: at.toISOString(),
		expiresAt: expiresAt.toISOString(),
		lastSeenAt: at.toISOString()
	});
	return { token, expiresAt };
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The member of a live session, its expiry pushed 12 h ahead; null for a missing, malformed, unknown or
 * expired token, or a disabled account (an expired session is deleted on the way).
 */
export async function readSession(
	store: Store,
	token: string | undefined,
	now: () => Date = () => new Date()
): Promise<{ member: SignedInMember; expiresAt: Date } | null> {
	if (!token || !TOKEN.test(token)) return null;
	const id = hashSessionToken(token);
	const session = await store.members.getSession(id);
	if (!session) return null;
	const at = now();
	if (session.expiresAt <= at.toISOString()) {
		await store.members.deleteSession(id);
		return null;
	}
	const record = await store.members.get(session.memberId);
	if (!record || record.disabledAt !== null) {
		await store.members.deleteSession(id);
		return null;
	}
	const expiresAt = new Date(at.getTime() + SESSION_TTL_MS);
	await store.members.touchSession(id, at.toISOString(), expiresAt.toISOString());
	return { member: publicView(record), expiresAt };
}

/** Ends the session of `token` (sign-out); a missing or unknown token is a no-op. */
export async function closeSession(store: Store, token: string | undefined): Promise<void> {
	if (!token || !TOKEN.test(token)) return;
	await store.members.deleteSession(hashSessionToken(token));
}

export const DEMO_COORDINATOR_EMAIL = 'coordination@demo.escale.fr';
export const DEMO_COORDINATOR_NAME = 'Coordination démo';

/** A demo account: who it is and what it may do. */
export interface DemoAccount {
	email: string;
	name: string;
	roles: readonly Role[];
}

/**
 * The demo's accounts, all opening with the demo password: a member (codes, tablets, referrals) and a
 * national reader (sees every bus, changes nothing), so both sides of the access rules can be tried.
 */
const DEMO_COORDINATOR: DemoAccount = {
	email: DEMO_COORDINATOR_EMAIL,
	name: DEMO_COORDINATOR_NAME,
	roles: ['coordinateur']
};
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
	DEMO_COORDINATOR,
	{ email: 'national@demo.escale.fr', name: 'Lecture nationale démo', roles: ['national'] }
];

/**
 * Demo only: makes sure a demo account exists with its roles and opens with `password` (a changed
 * ESCALE_DEMO_PASSWORD takes effect at the next start).
 */
export async function ensureDemoMember(
	store: Store,
	password: string,
	now: () => Date = () => new Date(),
	account: DemoAccount = DEMO_COORDINATOR
): Promise<SignedInMember> {
	const existing = await store.members.getByEmail(account.email);
	if (!existing) {
		return createMember(
			store,
			{ email: account.email, name: account.name, password, roles: account.roles },
			now
		);
	}
	if (!(await checkPassword(password, existing.passwordHash))) {
		await store.members.setPasswordHash(existing.id, await hashPassword(password));
	}
	if (existing.roles.join() !== account.roles.join()) {
		await store.members.setRoles(existing.id, account.roles);
	}
	return publicView({ ...existing, roles: [...account.roles] });
}
