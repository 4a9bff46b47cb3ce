/**
 * Numbered migrations of the PostgreSQL store, the same contract as SQLite's (sqlite/migrate.ts): each one in
 * its own transaction with its row in `schema_migrations`, so a crash leaves the previous version; applying
 * them again does nothing; a database migrated by a newer Escale, or under other names, is refused. Several
 * processes starting at once wait for one another on an advisory lock, then find the work done.
 */
import { assertKnown, assertWellFormed, type AppliedMigration } from '../migration-ledger';
import type { PgConnection, PgDatabase } from './connection';

export interface PgMigration {
	/** 1, 2, 3...: never renumber or edit a released migration, add a new one. */
	version: number;
	/** Short kebab-case name, recorded with the version so a mismatch is detected. */
	name: string;
	/** Statements separated by semicolons, run as one script. */
	sql: string;
}

/** The advisory lock key of migrations (any constant: the app takes no other lock with it). */
const MIGRATION_LOCK = 5_141_520_001;

const CREATE_LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version integer PRIMARY KEY,
	name text NOT NULL,
	applied_at text NOT NULL
)`;

/** Applies the pending migrations in order; returns the versions it applied. */
export async function applyPgMigrations(
	db: PgDatabase,
	migrations: readonly PgMigration[],
	now: () => string = () => new Date().toISOString()
): Promise<number[]> {
	assertWellFormed(migrations);
	const applied: number[] = [];
	for (const migration of migrations) {
		// What must stay true: the schema change and its ledger row commit together, and only once.
		const done = await db.transaction(async (connection) => {
			await connection.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
			await connection.query(CREATE_LEDGER);
			const recorded = await readApplied(connection);
			assertKnown(recorded, migrations);
			if (recorded.some((row) => row.version === migration.version)) return false;
			await connection.query(migration.sql);
			await connection.query(
				'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
				[migration.version, migration.name, now()]
			);
			return true;
		});
		if (done) applied.push(migration.version);
	}
	return applied;
}

/** The highest applied version, 0 for a new database. */
export async function readPgSchemaVersion(connection: PgConnection): Promise<number> {
	const [ledger] = await connection.query<{ exists: boolean }>(
		"SELECT to_regclass('schema_migrations') IS NOT NULL AS exists"
	);
	if (!ledger?.exists) return 0;
	const [row] = await connection.query<{ version: number | null }>(
		'SELECT max(version) AS version FROM schema_migrations'
	);
	return row?.version ?? 0;
}

function readApplied(connection: PgConnection): Promise<AppliedMigration[]> {
	return connection.query<AppliedMigration>('SELECT version, name FROM schema_migrations ORDER BY version');
}
