/** Member accounts, their roles (migrations 003, 004) and their sign-in sessions. */
import { isRole, ROLES, type Role } from '$lib/domain/member';
import type { MemberRecord, MemberRepository, MemberSessionRecord } from '../store';
import { prepared, type SqliteDatabase } from './connection';
import type { Exec } from './exec';

interface MemberRow {
	id: string;
	email: string;
	display_name: string;
	password_hash: string;
	created_at: string;
	disabled_at: string | null;
}

interface SessionRow {
	id: string;
	member_id: string;
	created_at: string;
	expires_at: string;
	last_seen_at: string;
}

/** The account's roles in ROLES order (a word this version does not know is left out). */
function readRoles(db: SqliteDatabase, memberId: string): Role[] {
	const rows = prepared(db, 'SELECT role FROM member_roles WHERE member_id = ?').all(memberId) as {
		role: string;
	}[];
	const held = new Set(rows.map((row) => row.role).filter(isRole));
	return ROLES.filter((role) => held.has(role));
}

function writeRoles(db: SqliteDatabase, memberId: string, roles: readonly Role[]): void {
	if (roles.length === 0) throw new Error('A member holds at least one role.');
	prepared(db, 'DELETE FROM member_roles WHERE member_id = ?').run(memberId);
	const insert = prepared(db, 'INSERT INTO member_roles (member_id, role) VALUES (?, ?)');
	for (const role of new Set(roles)) insert.run(memberId, role);
}

function fromMemberRow(db: SqliteDatabase, row: MemberRow): MemberRecord {
	return {
		id: row.id,
		email: row.email,
		displayName: row.display_name,
		roles: readRoles(db, row.id),
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

export function createMemberRepository(exec: Exec): MemberRepository {
	return {
		insert: (member) =>
			exec((db) => {
				// The account and its roles: both or neither (a savepoint inside a store transaction).
				db.transaction(() => {
					prepared(
						db,
						`INSERT INTO members (id, email, display_name, password_hash, created_at, disabled_at)
						VALUES (?, ?, ?, ?, ?, ?)`
					).run(
						member.id,
						member.email,
						member.displayName,
						member.passwordHash,
						member.createdAt,
						member.disabledAt
					);
					writeRoles(db, member.id, member.roles);
				})();
			}),
		get: (id) =>
			exec((db) => {
				const row = prepared(db, 'SELECT * FROM members WHERE id = ?').get(id) as MemberRow | undefined;
				return row ? fromMemberRow(db, row) : null;
			}),
		getByEmail: (email) =>
			exec((db) => {
				const row = prepared(db, 'SELECT * FROM members WHERE email = ?').get(email) as MemberRow | undefined;
				return row ? fromMemberRow(db, row) : null;
			}),
		setPasswordHash: (id, passwordHash) =>
			exec(
				(db) =>
					prepared(db, 'UPDATE members SET password_hash = ? WHERE id = ?').run(passwordHash, id).changes > 0
			),
		setRoles: (id, roles) =>
			exec((db) =>
				db.transaction(() => {
					if (!prepared(db, 'SELECT 1 FROM members WHERE id = ?').get(id)) return false;
					writeRoles(db, id, roles);
					return true;
				})()
			),
		insertSession: (session) =>
			exec((db) => {
				prepared(
					db,
					`INSERT INTO member_sessions (id, member_id, created_at, expires_at, last_seen_at)
						VALUES (?, ?, ?, ?, ?)`
				).run(session.id, session.memberId, session.createdAt, session.expiresAt, session.lastSeenAt);
			}),
		getSession: (id) =>
			exec((db) => {
				const row = prepared(db, 'SELECT * FROM member_sessions WHERE id = ?').get(id) as
					SessionRow | undefined;
				return row ? fromSessionRow(row) : null;
			}),
		touchSession: (id, lastSeenAt, expiresAt) =>
			exec(
				(db) =>
					prepared(db, 'UPDATE member_sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?').run(
						lastSeenAt,
						expiresAt,
						id
					).changes > 0
			),
		deleteSession: (id) =>
			exec((db) => prepared(db, 'DELETE FROM member_sessions WHERE id = ?').run(id).changes > 0),
		deleteExpiredSessions: (at) =>
			exec((db) => prepared(db, 'DELETE FROM member_sessions WHERE expires_at <= ?').run(at).changes)
	};
}
