/**
 * Picks the store implementation from the configuration: the embedded SQLite file by default, PostgreSQL
 * when the database URL says `postgres://` (config.ts). Callers get a `Store` and never learn which engine
 * is behind it.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseConfig } from '../config';
import { openPgDatabase } from './postgres/connection';
import { applyPgMigrations, readPgSchemaVersion } from './postgres/migrate';
import { pgMigrations } from './postgres/migrations';
import { openPgStore } from './postgres/pg-store';
import { openDatabase } from './sqlite/connection';
import { applyMigrations, readSchemaVersion } from './sqlite/migrate';
import { migrations } from './sqlite/migrations';
import { openSqliteStore } from './sqlite/sqlite-store';
import type { Store } from './store';

export async function openStore(database: DatabaseConfig): Promise<Store> {
	if (database.engine === 'postgres')
		return openPgStore({ url: database.url, maxConnections: database.maxConnections });
	if (database.file !== ':memory:') mkdirSync(dirname(database.file), { recursive: true });
	return openSqliteStore({ file: database.file });
}

/** What `npm run migrate` reports: the engine and the schema versions before and after. */
export interface MigrationReport {
	engine: 'sqlite' | 'postgres';
	before: number;
	after: number;
	applied: number[];
}

/**
 * Applies the pending migrations without starting the server (`npm run migrate`, before a new version's
 * processes start). The server applies them too when it opens the store, so this is a choice, not a step
 * that can be forgotten.
 */
export async function migrateDatabase(database: DatabaseConfig): Promise<MigrationReport> {
	if (database.engine === 'postgres') {
		const db = openPgDatabase(database.url, { max: 1 });
		try {
			const before = await readPgSchemaVersion(db);
			const applied = await applyPgMigrations(db, pgMigrations);
			return { engine: 'postgres', before, after: await readPgSchemaVersion(db), applied };
		} finally {
			await db.close();
		}
	}
	if (database.file !== ':memory:') mkdirSync(dirname(database.file), { recursive: true });
	const db = openDatabase(database.file);
	try {
		const before = readSchemaVersion(db);
		const applied = applyMigrations(db, migrations);
		return { engine: 'sqlite', before, after: readSchemaVersion(db), applied };
	} finally {
		db.close();
	}
}
