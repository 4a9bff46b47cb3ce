import { afterEach, describe, expect, it } from 'vitest';
import { openTestStore } from '$factories/store';
import type { Store } from '../store/store';
import {
	closeSession,
	MemberInputError,
	createMember,
	DEMO_ACCOUNTS,
	DEMO_COORDINATOR_EMAIL,
	ensureDemoMember,
	hashSessionToken,
	openSession,
	readSession,
	SESSION_TTL_MS,
	verifyPassword
} from './members';

const FAST = { N: 1024, r: 8, p: 1 };
const T0 = new Date('2026-03-10T09:00:00.000Z');
const at = (ms: number) => () => new Date(T0.getTime() + ms);
const HOUR = 3600 * 1000;

let store: Store | null = null;
afterEach(async () => {
	await store?.close();
	store = null;
});

async function withAccount(): Promise<{ store: Store; id: string }> {
	store = await openTestStore();
	const created = await createMember(
		store,
		{ email: '  Claire.Martin@Exemple.FR ', name: 'Claire Martin', password: 'un long mot de passe' },
		at(0),
		FAST
	);
	return { store, id: created.id };
}

describe('coordinator accounts', () => {
	it('store the email in its normal form and the password as a scrypt hash only', async () => {
		const { store, id } = await withAccount();
		const record = await store.members.get(id);
		expect(record).toMatchObject({
			email: 'claire.martin@exemple.fr',
			displayName: 'Claire Martin',
			createdAt: T0.toISOString(),
			disabledAt: null
		});
		expect(record?.passwordHash).toMatch(/^scrypt\$/);
		expect(JSON.stringify(record)).not.toContain('long mot');
	});

	it('refuse a bad email, an empty name, an empty password and a taken email, naming the field', async () => {
		const { store } = await withAccount();
		const make = (email: string, name: string, password: string) =>
			createMember(store, { email, name, password }, at(0), FAST);
		await expect(make('pas-une-adresse', 'X', 'secret')).rejects.toThrow(/^email/);
		await expect(make('b@exemple.fr', '  ', 'secret')).rejects.toThrow(/^name/);
		await expect(make('b@exemple.fr', 'B', '')).rejects.toThrow(/^password/);
		await expect(make('CLAIRE.MARTIN@exemple.fr', 'Autre', 'secret')).rejects.toThrow(MemberInputError);
		await expect(make('CLAIRE.MARTIN@exemple.fr', 'Autre', 'secret')).rejects.toThrow(/existe déjà/);
		await expect(make('claire.martin@\u200bexemple.fr', 'Autre', 'secret')).rejects.toThrow(/existe déjà/);
	});

	it('verify a password whatever the spelling of the email, and answer null for anything wrong', async () => {
		const { store, id } = await withAccount();
		const claire = {
			id,
			email: 'claire.martin@exemple.fr',
			name: 'Claire Martin',
			roles: ['coordinateur']
		};
		for (const spelling of [
			'CLAIRE.martin@exemple.fr',
			' Claire.Martin@Exemple.FR ',
			'ｃｌａｉｒｅ．ｍａｒｔｉｎ＠ｅｘｅｍｐｌｅ．ｆｒ',
			'claire.mar\u200btin@exemple.fr',
			'\u00a0claire.martin@exemple.fr\u00a0',
			'claire.martin@\u00a0exemple.fr'
		]) {
			expect(await verifyPassword(store, spelling, 'un long mot de passe')).toEqual(claire);
		}
		expect(await verifyPassword(store, 'claire.martin@exemple.fr', 'un long mot de pass')).toBeNull();
		expect(await verifyPassword(store, 'personne@exemple.fr', 'un long mot de passe')).toBeNull();
		expect(await verifyPassword(store, 'pas une adresse', 'un long mot de passe')).toBeNull();
	});
});

describe('coordinator sessions', () => {
	it('keep only the hash of a 256-bit token and find the coordinator back from the token', async () => {
		const { store, id } = await withAccount();
		const { token, expiresAt } = await openSession(store, id, at(0));
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(expiresAt.getTime()).toBe(T0.getTime() + SESSION_TTL_MS);
		expect(await store.members.getSession(token)).toBeNull();
		expect(await store.members.getSession(hashSessionToken(token))).toMatchObject({ memberId: id });
		expect((await readSession(store, token, at(HOUR)))?.member).toMatchObject({
			id,
			name: 'Claire Martin'
		});
	});

	it('slide 12 hours from each use and end 12 hours after the last one', async () => {
		const { store, id } = await withAccount();
		const { token } = await openSession(store, id, at(0));
		expect(await readSession(store, token, at(11 * HOUR))).not.toBeNull();
		// 22 h after opening, but only 11 h after the last use: still open.
		const slid = await readSession(store, token, at(22 * HOUR));
		expect(slid?.expiresAt.getTime()).toBe(T0.getTime() + 34 * HOUR);
		expect(await readSession(store, token, at(34 * HOUR))).toBeNull();
		// The expired row is gone, not merely refused.
		expect(await store.members.getSession(hashSessionToken(token))).toBeNull();
	});

	it('end at sign-out, and refuse unknown or malformed tokens', async () => {
		const { store, id } = await withAccount();
		const { token } = await openSession(store, id, at(0));
		const other = await openSession(store, id, at(0));
		await closeSession(store, token);
		expect(await readSession(store, token, at(1000))).toBeNull();
		expect(await readSession(store, other.token, at(1000))).not.toBeNull();
		for (const bad of [undefined, '', 'x', `${token}x`, 'A'.repeat(43)]) {
			expect(await readSession(store, bad, at(1000))).toBeNull();
		}
		await expect(closeSession(store, undefined)).resolves.toBeUndefined();
	});

	it('sweep expired sessions when a new one opens', async () => {
		const { store, id } = await withAccount();
		const old = await openSession(store, id, at(0));
		await openSession(store, id, at(13 * HOUR));
		expect(await store.members.getSession(hashSessionToken(old.token))).toBeNull();
	});
});

describe('member roles', () => {
	it('are stored with the account, coordinateur by default, and replaced as a whole', async () => {
		const { store, id } = await withAccount();
		expect((await store.members.get(id))?.roles).toEqual(['coordinateur']);
		const reader = await createMember(
			store,
			{ email: 'lecture@exemple.fr', name: 'Lecture', password: 'secret', roles: ['national'] },
			at(0),
			FAST
		);
		expect(reader.roles).toEqual(['national']);
		expect(await store.members.setRoles(id, ['admin', 'coordinateur'])).toBe(true);
		expect((await store.members.get(id))?.roles).toEqual(['coordinateur', 'admin']);
		expect(await store.members.setRoles('c0ffee00-0000-4000-8000-000000000000', ['admin'])).toBe(false);
		await expect(store.members.setRoles(id, [])).rejects.toThrow(/at least one role/);
		expect((await store.members.get(id))?.roles).toEqual(['coordinateur', 'admin']);
	});
});

// Full-strength scrypt (the demo's own parameters): each hash takes up to a second on two busy cores.
describe('the demo coordinator', { timeout: 30_000 }, () => {
	it('is created once and follows a changed demo password', async () => {
		store = await openTestStore();
		const first = await ensureDemoMember(store, 'escale-demo');
		const again = await ensureDemoMember(store, 'escale-demo');
		expect(again.id).toBe(first.id);
		expect(first.email).toBe(DEMO_COORDINATOR_EMAIL);
		expect(await verifyPassword(store, DEMO_COORDINATOR_EMAIL, 'escale-demo')).not.toBeNull();
		await ensureDemoMember(store, 'un autre mot de passe');
		expect(await verifyPassword(store, DEMO_COORDINATOR_EMAIL, 'escale-demo')).toBeNull();
		expect(await verifyPassword(store, DEMO_COORDINATOR_EMAIL, 'un autre mot de passe')).not.toBeNull();
	});

	it('comes with a national reader who holds that role only', async () => {
		store = await openTestStore();
		const national = DEMO_ACCOUNTS.find((account) => account.roles.includes('national'));
		if (!national) throw new Error('the demo has a national account');
		const created = await ensureDemoMember(store, 'escale-demo', undefined, national);
		expect(created.roles).toEqual(['national']);
		expect((await verifyPassword(store, national.email, 'escale-demo'))?.roles).toEqual(['national']);
		expect((await ensureDemoMember(store, 'escale-demo'))?.roles).toEqual(['coordinateur']);
	});
});
