/**
 * The members repository, one contract for both engines (issue 12, item 1): the same assertions on the SQLite
 * store and on the PostgreSQL adapter, each on a database of its own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresEngine, openSqliteEngine } from '$factories/engines';
import { createPgMemberRepository } from './postgres/members';
import type { MemberRecord, MemberRepository, MemberSessionRecord } from './store';

interface Opened {
	members: MemberRepository;
	close(): Promise<void>;
}

const ENGINES: Record<string, () => Promise<Opened>> = {
	sqlite: async () => {
		const { store, close } = await openSqliteEngine();
		return { members: store.members, close };
	},
	postgres: async () => {
		const { scope, close } = await openPostgresEngine();
		return { members: createPgMemberRepository(scope), close };
	}
};

function member(id: string, email: string, roles: MemberRecord['roles'] = ['coordinateur']): MemberRecord {
	return {
		id,
		email,
		displayName: `Membre ${id}`,
		roles,
		passwordHash: `scrypt$${id}`,
		createdAt: '2026-03-10T09:00:00.000Z',
		disabledAt: null
	};
}

function session(id: string, memberId: string, expiresAt: string): MemberSessionRecord {
	return {
		id,
		memberId,
		createdAt: '2026-03-10T09:00:00.000Z',
		expiresAt,
		lastSeenAt: '2026-03-10T09:00:00.000Z'
	};
}

let opened: Opened | null = null;
afterEach(async () => {
	await opened?.close();
	opened = null;
});

describe.each(Object.entries(ENGINES))('the members repository on %s', (_engine, open) => {
	it('reads an account back by id and by email, its roles once each and in ROLES order', async () => {
		opened = await open();
		const { members } = opened;
		const claire = { ...member('m1', 'claire@exemple.fr'), disabledAt: '2026-03-11T09:00:00.000Z' };
		await members.insert({ ...claire, roles: ['partenaire', 'coordinateur', 'partenaire'] });
		const read = { ...claire, roles: ['coordinateur', 'partenaire'] };
		expect(await members.get('m1')).toEqual(read);
		expect(await members.getByEmail('claire@exemple.fr')).toEqual(read);
		expect(await members.get('m2')).toBeNull();
		expect(await members.getByEmail('personne@exemple.fr')).toBeNull();
	});

	it('refuses a taken email or an account without a role, and writes nothing of it', async () => {
		opened = await open();
		const { members } = opened;
		await members.insert(member('m1', 'claire@exemple.fr'));
		await expect(members.insert(member('m2', 'claire@exemple.fr', ['admin']))).rejects.toThrow();
		await expect(members.insert(member('m1', 'autre@exemple.fr', ['admin']))).rejects.toThrow();
		await expect(members.insert(member('m3', 'sans-role@exemple.fr', []))).rejects.toThrow(
			/at least one role/
		);
		// A role the schema refuses fails after the account row is written: the account goes with it.
		const unknown = ['coordinateur', 'inconnu'] as unknown as MemberRecord['roles'];
		await expect(members.insert(member('m4', 'role-inconnu@exemple.fr', unknown))).rejects.toThrow();
		expect(await members.get('m4')).toBeNull();
		expect(await members.get('m2')).toBeNull();
		expect(await members.get('m3')).toBeNull();
		expect(await members.getByEmail('autre@exemple.fr')).toBeNull();
		expect((await members.get('m1'))?.roles).toEqual(['coordinateur']);
	});

	it('replaces the roles and the password hash of an account that exists, and only then', async () => {
		opened = await open();
		const unknown = ['national', 'inconnu'] as unknown as MemberRecord['roles'];
		const { members } = opened;
		await members.insert(member('m1', 'claire@exemple.fr', ['coordinateur', 'national']));
		expect(await members.setRoles('m1', ['admin', 'coordinateur', 'admin'])).toBe(true);
		expect((await members.get('m1'))?.roles).toEqual(['coordinateur', 'admin']);
		await expect(members.setRoles('m1', [])).rejects.toThrow(/at least one role/);
		expect((await members.get('m1'))?.roles).toEqual(['coordinateur', 'admin']);
		await expect(members.setRoles('m1', unknown)).rejects.toThrow();
		expect((await members.get('m1'))?.roles).toEqual(['coordinateur', 'admin']);
		expect(await members.setRoles('m2', ['admin'])).toBe(false);
		expect(await members.get('m2')).toBeNull();

		expect(await members.setPasswordHash('m1', 'scrypt$nouveau')).toBe(true);
		expect((await members.get('m1'))?.passwordHash).toBe('scrypt$nouveau');
		expect(await members.setPasswordHash('m2', 'scrypt$nouveau')).toBe(false);
	});

	it('keeps sessions: read, slid, deleted once, and swept when expired at or before the given time', async () => {
		opened = await open();
		const { members } = opened;
		await members.insert(member('m1', 'claire@exemple.fr'));
		const first = session('s1', 'm1', '2026-03-10T10:00:00.000Z');
		await members.insertSession(first);
		expect(await members.getSession('s1')).toEqual(first);
		expect(await members.getSession('s9')).toBeNull();
		await expect(members.insertSession(session('s1', 'm1', '2026-03-10T12:00:00.000Z'))).rejects.toThrow();
		await expect(
			members.insertSession(session('s2', 'no-such-member', '2026-03-10T12:00:00.000Z'))
		).rejects.toThrow();

		expect(await members.touchSession('s1', '2026-03-10T09:30:00.000Z', '2026-03-10T11:00:00.000Z')).toBe(
			true
		);
		expect(await members.getSession('s1')).toEqual({
			...first,
			lastSeenAt: '2026-03-10T09:30:00.000Z',
			expiresAt: '2026-03-10T11:00:00.000Z'
		});
		expect(await members.touchSession('s9', '2026-03-10T09:30:00.000Z', '2026-03-10T11:00:00.000Z')).toBe(
			false
		);

		await members.insertSession(session('s2', 'm1', '2026-03-10T10:00:00.000Z'));
		await members.insertSession(session('s3', 'm1', '2026-03-10T10:00:00.001Z'));
		await members.insertSession(session('s4', 'm1', '2026-03-10T09:59:59.999Z'));
		expect(await members.deleteExpiredSessions('2026-03-10T10:00:00.000Z')).toBe(2);
		expect(await members.getSession('s3')).not.toBeNull();
		expect(await members.getSession('s1')).not.toBeNull();
		expect(await members.deleteExpiredSessions('2026-03-10T10:00:00.000Z')).toBe(0);

		expect(await members.deleteSession('s3')).toBe(true);
		expect(await members.deleteSession('s3')).toBe(false);
		expect(await members.getSession('s3')).toBeNull();
	});
});
