/**
 * Member accounts, their roles and their sign-in sessions on PostgreSQL: the same semantics as
 * sqlite/members.ts, method by method. An account and its roles are written together (`atomic`), and read
 * together in one query.
 */
import { isRole, ROLES, type Role } from '$lib/domain/member';
import type { MemberRecord, MemberRepository, MemberSessionRecord } from '../store';
import type { PgConnection } from './connection';
import type { PgScope } from './scope';

interface MemberRow {
	id: string;
	email: string;
	display_name: string;
	password_hash: string;
	created_at: string;
	disabled_at: string | null;
	roles: string[];
}

interface SessionRow {
	id: string;
	member_id: string;
	created_at: string;
	expires_at: string;
	last_seen_at: string;
}

/** The account with its roles (an empty array when it has none). */
const SELECT_MEMBER = `SELECT m.id, m.email, m.display_name, m.password_hash, m.created_at, m.disabled_at,
	ARRAY(SELECT r.role FROM member_roles r WHERE r.member_id = m.id) AS roles
	FROM members m`;

/** The account's roles in ROLES order (a word this version does not know is left out). */
function toRoles(words: readonly string[]): Role[] {
	const held = new Set(words.filter(isRole));
	return ROLES.filter((role) => held.has(role));
}

function fromMemberRow(row: MemberRow): MemberRecord {
	return {
		id: row.id,
		email: row.email,
		displayName: row.display_name,
		roles: toRoles(row.roles),
		passwordHash: row.password_hash,
		createdAt: row.created_at,
		disabledAt: row.disabled_at
	};
}

function fromSessionRow(row: SessionRow): MemberSessionRecord {
	return {
		id: row.id,
		memberId: row.member_id,
		createdAt: row.created_at,
		expiresAt: row.expires_at,
		lastSeenAt: row.last_seen_at
	};
}

/** Replaces the account's roles: one DELETE, then one INSERT of them all. Runs inside `atomic`. */
async function writeRoles(connection: PgConnection, memberId: string, roles: readonly Role[]): Promise<void> {
	await connection.query('DELETE FROM member_roles WHERE member_id = $1', [memberId]);
	await connection.query('INSERT INTO member_roles (member_id, role) SELECT $1, unnest($2::text[])', [
		memberId,
		[...new Set(roles)]
	]);
}

function requireRoles(roles: readonly Role[]): void {
	if (roles.length === 0) throw new Error('A member holds at least one role.');
}

export function createPgMemberRepository(scope: PgScope): MemberRepository {
	return {
		insert: async (member) => {
			requireRoles(member.roles);
			// The account and its roles: both or neither.
			await scope.atomic(async (connection) => {
				await connection.query(
					`INSERT INTO members (id, email, display_name, password_hash, created_at, disabled_at)
					VALUES ($1, $2, $3, $4, $5, $6)`,
					[
						member.id,
						member.email,
						member.displayName,
						member.passwordHash,
						member.createdAt,
						member.disabledAt
					]
				);
				await writeRoles(connection, member.id, member.roles);
			});
		},
		get: async (id) => {
			const [row] = await scope.query<MemberRow>(`${SELECT_MEMBER} WHERE m.id = $1`, [id]);
			return row ? fromMemberRow(row) : null;
		},
		getByEmail: async (email) => {
			const [row] = await scope.query<MemberRow>(`${SELECT_MEMBER} WHERE m.email = $1`, [email]);
			return row ? fromMemberRow(row) : null;
		},
		setPasswordHash: async (id, passwordHash) =>
			(
				await scope.query('UPDATE members SET password_hash = $1 WHERE id = $2 RETURNING 1', [
					passwordHash,
					id
				])
			).length > 0,
		setRoles: (id, roles) =>
			scope.atomic(async (connection) => {
				// The row lock keeps a concurrent change of the same account's roles from interleaving.
				const found = await connection.query('SELECT 1 FROM members WHERE id = $1 FOR UPDATE', [id]);
				if (found.length === 0) return false;
				requireRoles(roles);
				await writeRoles(connection, id, roles);
				return true;
			}),
		insertSession: async (session) => {
			await scope.query(
				`INSERT INTO member_sessions (id, member_id, created_at, expires_at, last_seen_at)
				VALUES ($1, $2, $3, $4, $5)`,
				[session.id, session.memberId, session.createdAt, session.expiresAt, session.lastSeenAt]
			);
		},
		getSession: async (id) => {
			const [row] = await scope.query<SessionRow>(
				'SELECT id, member_id, created_at, expires_at, last_seen_at FROM member_sessions WHERE id = $1',
				[id]
			);
			return row ? fromSessionRow(row) : null;
		},
		touchSession: async (id, lastSeenAt, expiresAt) =>
			(
				await scope.query(
					'UPDATE member_sessions SET last_seen_at = $1, expires_at = $2 WHERE id = $3 RETURNING 1',
					[lastSeenAt, expiresAt, id]
				)
			).length > 0,
		deleteSession: async (id) =>
			(await scope.query('DELETE FROM member_sessions WHERE id = $1 RETURNING 1', [id])).length > 0,
		deleteExpiredSessions: async (at) =>
			// Instants are ISO strings: compared byte by byte, as SQLite compares them.
			(await scope.query('DELETE FROM member_sessions WHERE expires_at COLLATE "C" <= $1 RETURNING 1', [at]))
				.length
	};
}
