import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase, openTestStore } from '$factories/store';
import type { SqliteDatabase } from './connection';
import {
	applyMigrations,
	readSchemaVersion,
	SchemaMismatchError,
	SchemaTooNewError,
	type Migration
} from './migrate';
import { latestSchemaVersion, migrations } from './migrations';

const open: SqliteDatabase[] = [];
function memoryDatabase(): SqliteDatabase {
	const db = openTestDatabase();
	open.push(db);
	return db;
}
afterEach(() => {
	for (const db of open.splice(0)) if (db.open) db.close();
});

const tables = (db: SqliteDatabase) =>
	(
		db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
			name: string;
		}[]
	).map((row) => row.name);

describe('migrations', () => {
	it('bring an empty database to the latest version and record each one with its name and time', () => {
		const db = memoryDatabase();
		const applied = applyMigrations(db, migrations, () => '2026-11-27T08:00:00.000Z');

		expect(applied).toEqual(migrations.map((m) => m.version));
		expect(readSchemaVersion(db)).toBe(latestSchemaVersion);
		expect(tables(db)).toEqual(
			expect.arrayContaining(['buses', 'stops', 'circuits', 'service_days', 'meta', 'schema_migrations'])
		);
		expect(db.prepare('SELECT version, name, applied_at FROM schema_migrations').all()).toEqual(
			migrations.map((m) => ({ version: m.version, name: m.name, applied_at: '2026-11-27T08:00:00.000Z' }))
		);
	});

	it('do nothing when applied a second time', () => {
		const db = memoryDatabase();
		applyMigrations(db, migrations);
		const before = db.prepare('SELECT * FROM schema_migrations').all();

		expect(applyMigrations(db, migrations)).toEqual([]);
		expect(db.prepare('SELECT * FROM schema_migrations').all()).toEqual(before);
	});

	it('leave the database at the previous version when a migration fails half-way', () => {
		const db = memoryDatabase();
		const broken: Migration = {
			version: latestSchemaVersion + 1,
			name: 'broken',
			sql: 'CREATE TABLE half_done (id TEXT); INSERT INTO no_such_table VALUES (1);'
		};

		expect(() => applyMigrations(db, [...migrations, broken])).toThrow(/no_such_table/);
		expect(readSchemaVersion(db)).toBe(latestSchemaVersion);
		expect(tables(db)).not.toContain('half_done');
	});

	it('refuse a database migrated by a newer Escale, saying which versions are unknown', async () => {
		const db = memoryDatabase();
		applyMigrations(db, migrations);
		db.prepare("INSERT INTO schema_migrations VALUES (99, 'from-the-future', '2030-01-01T00:00:00Z')").run();

		expect(() => applyMigrations(db, migrations)).toThrow(SchemaTooNewError);
		expect(() => applyMigrations(db, migrations)).toThrow(
			new RegExp(`schema version 99.*knows up to ${latestSchemaVersion}.*99 from-the-future`)
		);
	});

	it('refuse a database whose recorded migration has another name than the code', () => {
		const db = memoryDatabase();
		applyMigrations(db, migrations);
		db.prepare("UPDATE schema_migrations SET name = 'something-else' WHERE version = 1").run();

		expect(() => applyMigrations(db, migrations)).toThrow(SchemaMismatchError);
	});

	it('reject a list of migrations with a gap in its numbering', () => {
		const db = memoryDatabase();
		const gap: Migration = { version: latestSchemaVersion + 2, name: 'gap', sql: 'SELECT 1' };

		expect(() => applyMigrations(db, [...migrations, gap])).toThrow(/numbered 1, 2, 3/);
	});
});

describe('a database file', () => {
	let dir: string | null = null;
	afterEach(() => {
		if (dir) rmSync(dir, { recursive: true, force: true });
		dir = null;
	});

	it('is opened in WAL mode with synchronous FULL, foreign keys on and a busy timeout', async () => {
		dir = mkdtempSync(join(tmpdir(), 'escale-store-'));
		const store = await openTestStore({ file: join(dir, 'escale.sqlite') });
		expect(await store.health()).toMatchObject({ engine: 'sqlite', journalMode: 'wal', ok: true });
		await store.close();

		// Pragmas other than journal_mode are per connection: check them on a fresh one opened the same way.
		const db = openTestDatabase({ file: join(dir, 'escale.sqlite') });
		open.push(db);
		expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(db.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
		expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
		expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
		expect(readSchemaVersion(db)).toBe(latestSchemaVersion);
	});

	it('refuses to open when it was migrated by a newer Escale, and stays untouched', async () => {
		dir = mkdtempSync(join(tmpdir(), 'escale-store-'));
		const file = join(dir, 'escale.sqlite');
		await (await openTestStore({ file })).close();
		const db = openTestDatabase({ file });
		const future = latestSchemaVersion + 1;
		db.prepare("INSERT INTO schema_migrations VALUES (?, 'from-the-future', '2030-01-01T00:00:00Z')").run(
			future
		);
		db.close();

		await expect(openTestStore({ file })).rejects.toThrow(SchemaTooNewError);
		const check = openTestDatabase({ file });
		open.push(check);
		expect(readSchemaVersion(check)).toBe(future);
	});
});
