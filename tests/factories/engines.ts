/**
 * Both storage engines for contract tests (issue 12, item 2): each test opens the engine it is run for, on a
 * database of its own, and closes it after. SQLite is the store as the app opens it (in memory); PostgreSQL is
 * a fresh database with every migration applied (a copy of the run's template), reached through the adapter's pool scope.
 */
import { openPgDatabase, type PgDatabase } from '$lib/server/store/postgres/connection';
import { poolScope, type PgScope } from '$lib/server/store/postgres/scope';
import type { Store } from '$lib/server/store/store';
import { createTestPgDatabase } from './postgres';
import { openTestStore } from './store';

export interface OpenedSqlite {
	engine: 'sqlite';
	store: Store;
	close(): Promise<void>;
}

export interface OpenedPostgres {
	engine: 'postgres';
	db: PgDatabase;
	scope: PgScope;
	close(): Promise<void>;
}

export async function openSqliteEngine(): Promise<OpenedSqlite> {
	const store = await openTestStore();
	return { engine: 'sqlite', store, close: () => store.close() };
}

export async function openPostgresEngine(): Promise<OpenedPostgres> {
	const database = await createTestPgDatabase({ migrated: true });
	const db = openPgDatabase(database.url, { max: 4 });
	return {
		engine: 'postgres',
		db,
		scope: poolScope(db),
		close: async () => {
			await db.close();
			await database.drop();
		}
	};
}
