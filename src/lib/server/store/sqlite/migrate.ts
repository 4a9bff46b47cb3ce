/**
 * Versioned migrations. Each one runs in its own transaction with its row in `schema_migrations`, so a
 * crash leaves the database at the previous version, never half-way. Applied at every start; applying
 * them again does nothing. A database migrated by a newer Escale is refused: older code could misread or
 * damage tables it does not know.
 */
import {
	assertKnown,
	assertWellFormed,
	SchemaMismatchError,
	SchemaTooNewError,
	type AppliedMigration as AppliedRow
} from '../migration-ledger';
import type { SqliteDatabase } from './connection';

export interface Migration {
	/** 1, 2, 3...: never renumber or edit a released migration, add a new one. */
	version: number;
	/** Short kebab-case name, recorded with the version so a mismatch is detected. */
	name: string;
	sql: string;
	/**
	 * A data step where SQL alone cannot decide (a regular expression, a JSON check): run after `sql`, in
	 * the same transaction, so the schema change, the data it rewrites and the ledger row commit together.
	 */
	data?: (db: SqliteDatabase) => void;
}

export { SchemaMismatchError, SchemaTooNewError };

const CREATE_LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at TEXT NOT NULL
) STRICT`;

/** Applies the pending migrations in order; returns the versions it applied. */
export function applyMigrations(
	db: SqliteDatabase,
	migrations: readonly Migration[],
	now: () => string = () => new Date().toISOString()
): number[] {
	assertWellFormed(migrations);
	db.exec(CREATE_LEDGER);
	assertKnown(readApplied(db), migrations);

	const applied: number[] = [];
	for (const migration of migrations) {
		// What must stay true: the schema change and its ledger row commit together. IMMEDIATE takes the
		// write lock first, so a second process starting at the same time waits, then sees it applied.
		const applyOne = db.transaction(() => {
			const done = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version);
			if (done) return false;
			db.exec(migration.sql);
			migration.data?.(db);
			db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
				migration.version,
				migration.name,
				now()
			);
			return true;
		});
		if (applyOne.immediate()) applied.push(migration.version);
	}
	return applied;
}

/** The highest applied version, 0 for a new database. */
export function readSchemaVersion(db: SqliteDatabase): number {
	const ledger = db
		.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
		.get();
	if (!ledger) return 0;
	const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
		version: number | null;
	};
	return row.version ?? 0;
}

function readApplied(db: SqliteDatabase): AppliedRow[] {
	return db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as AppliedRow[];
}
