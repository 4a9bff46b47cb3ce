import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../connection';
import { applyMigrations, readSchemaVersion } from '../migrate';
import { createMemberRepository } from '../members';
import { migrations } from './index';

const open: SqliteDatabase[] = [];
afterEach(() => {
	for (const db of open.splice(0)) if (db.open) db.close();
});

const AT = '2026-03-10T09:00:00.000Z';
const LATER = '2026-03-10T21:00:00.000Z';

/** A database at schema version 5, as issue 9 left it: one account with two roles and an open session. */
function databaseAtVersion5(): SqliteDatabase {
	const db = openDatabase(':memory:');
	open.push(db);
	applyMigrations(db, migrations.slice(0, 5), () => AT);
	db.exec(`
		INSERT INTO coordinators (id, email, display_name, password_hash, created_at, disabled_at)
			VALUES ('m-1', 'claire@example.fr', 'Claire', 'scrypt$hash', '${AT}', NULL);
		INSERT INTO member_roles (member_id, role) VALUES ('m-1', 'national');
		INSERT INTO coordinator_sessions (id, coordinator_id, created_at, expires_at, last_seen_at)
			VALUES ('${'d'.repeat(64)}', 'm-1', '${AT}', '${LATER}', '${AT}');
	`);
	return db;
}

describe('migration 006: accounts are members', () => {
	it('keeps every account, role and session under the new names', async () => {
		const db = databaseAtVersion5();
		applyMigrations(db, migrations.slice(0, 6), () => AT);
		expect(readSchemaVersion(db)).toBe(6);

		const members = createMemberRepository(async (work) => work(db));
		expect(await members.getByEmail('claire@example.fr')).toMatchObject({
			id: 'm-1',
			displayName: 'Claire',
			roles: ['national'],
			passwordHash: 'scrypt$hash'
		});
		expect(await members.getSession('d'.repeat(64))).toMatchObject({ memberId: 'm-1', expiresAt: LATER });
		const tables = db
			.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%coordinator%'`)
			.all();
		expect(tables).toEqual([]);
	});

	it('still deletes the roles and sessions of a deleted member (foreign keys follow the rename)', () => {
		const db = databaseAtVersion5();
		applyMigrations(db, migrations, () => AT);
		db.prepare('DELETE FROM members WHERE id = ?').run('m-1');
		expect(db.prepare('SELECT count(*) AS n FROM member_roles').get()).toEqual({ n: 0 });
		expect(db.prepare('SELECT count(*) AS n FROM member_sessions').get()).toEqual({ n: 0 });
	});
});
