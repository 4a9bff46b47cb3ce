/**
 * Versioned migrations. Each one runs in its own transaction with its row in `schema_migrations`, so a
 * crash leaves the database at the previous version, never half-way. Applied at every start; applying
 * them again does nothing. A database migrated by a newer Escale is refused: older code could misread or
 * damage tables it does not know.
 */
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

export class SchemaTooNewError extends Error {
	override name = 'SchemaTooNewError';
}

export class SchemaMismatchError extends Error {
	override name = 'SchemaMismatchError';
}

interface AppliedRow {
	version: number;
	name: string;
}

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

function assertKnown(applied: readonly AppliedRow[], migrations: readonly Migration[]): void {
	const latest = migrations.at(-1)?.version ?? 0;
	const newer = applied.filter((row) => row.version > latest);
	if (newer.length > 0) {
		const names = newer.map((row) => `${row.version} ${row.name}`).join(', ');
		throw new SchemaTooNewError(
			`The database was migrated by a newer Escale (schema version ${newer.at(-1)?.version}; this Escale knows ` +
				`up to ${latest}; unknown migrations: ${names}). Refusing to start so as not to damage it: run the ` +
				'newer Escale, or restore a backup made for this version.'
		);
	}
	for (const row of applied) {
		const known = migrations.find((migration) => migration.version === row.version);
		if (known && known.name !== row.name) {
			throw new SchemaMismatchError(
				`Migration ${row.version} is recorded as "${row.name}" in the database but is "${known.name}" in this ` +
					'Escale: the database comes from another build. Refusing to start.'
			);
		}
	}
}

/** Catches a developer's slip (duplicate or missing number) before it reaches a database. */
function assertWellFormed(migrations: readonly Migration[]): void {
	migrations.forEach((migration, index) => {
		if (migration.version !== index + 1) {
			throw new Error(
				`Migrations must be numbered 1, 2, 3... in order; found ${migration.version} at position ${index + 1}.`
			);
		}
		if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(migration.name)) {
			throw new Error(`Migration ${migration.version} needs a kebab-case name, got "${migration.name}".`);
		}
	});
}
