/** Coordinator accounts and their sign-in sessions (migration 003). */
import type { CoordinatorRecord, CoordinatorRepository, CoordinatorSessionRecord } from '../store';
import { prepared } from './connection';
import type { Exec } from './exec';

interface CoordinatorRow {
	id: string;
	email: string;
	display_name: string;
	password_hash: string;
	created_at: string;
	disabled_at: string | null;
}

interface SessionRow {
	id: string;
	coordinator_id: string;
	created_at: string;
	expires_at: string;
	last_seen_at: string;
}

function fromCoordinatorRow(row: CoordinatorRow): CoordinatorRecord {
	return {
		id: row.id,
		email: row.email,
		displayName: row.display_name,
		passwordHash: row.password_hash,
		createdAt: row.created_at,
		disabledAt: row.disabled_at
	};
}

function fromSessionRow(row: SessionRow): CoordinatorSessionRecord {
	return {
		id: row.id,
		coordinatorId: row.coordinator_id,
		createdAt: row.created_at,
		expiresAt: row.expires_at,
		lastSeenAt: row.last_seen_at
	};
}

export function createCoordinatorRepository(exec: Exec): CoordinatorRepository {
	return {
		insert: (coordinator) =>
			exec((db) => {
				prepared(
					db,
					`INSERT INTO coordinators (id, email, display_name, password_hash, created_at, disabled_at)
						VALUES (?, ?, ?, ?, ?, ?)`
				).run(
					coordinator.id,
					coordinator.email,
					coordinator.displayName,
					coordinator.passwordHash,
					coordinator.createdAt,
					coordinator.disabledAt
				);
			}),
		get: (id) =>
			exec((db) => {
				const row = prepared(db, 'SELECT * FROM coordinators WHERE id = ?').get(id) as
					CoordinatorRow | undefined;
				return row ? fromCoordinatorRow(row) : null;
			}),
		getByEmail: (email) =>
			exec((db) => {
				const row = prepared(db, 'SELECT * FROM coordinators WHERE email = ?').get(email) as
					CoordinatorRow | undefined;
				return row ? fromCoordinatorRow(row) : null;
			}),
		setPasswordHash: (id, passwordHash) =>
			exec(
				(db) =>
					prepared(db, 'UPDATE coordinators SET password_hash = ? WHERE id = ?').run(passwordHash, id)
						.changes > 0
			),
		insertSession: (session) =>
			exec((db) => {
				prepared(
					db,
					`INSERT INTO coordinator_sessions (id, coordinator_id, created_at, expires_at, last_seen_at)
						VALUES (?, ?, ?, ?, ?)`
				).run(session.id, session.coordinatorId, session.createdAt, session.expiresAt, session.lastSeenAt);
			}),
		getSession: (id) =>
			exec((db) => {
				const row = prepared(db, 'SELECT * FROM coordinator_sessions WHERE id = ?').get(id) as
					SessionRow | undefined;
				return row ? fromSessionRow(row) : null;
			}),
		touchSession: (id, lastSeenAt, expiresAt) =>
			exec(
				(db) =>
					prepared(db, 'UPDATE coordinator_sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?').run(
						lastSeenAt,
						expiresAt,
						id
					).changes > 0
			),
		deleteSession: (id) =>
			exec((db) => prepared(db, 'DELETE FROM coordinator_sessions WHERE id = ?').run(id).changes > 0),
		deleteExpiredSessions: (at) =>
			exec((db) => prepared(db, 'DELETE FROM coordinator_sessions WHERE expires_at <= ?').run(at).changes)
	};
}
