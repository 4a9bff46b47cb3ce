/**
 * Server stores for tests. `openTestStore` is the store as the app opens it (every migration applied), in
 * memory unless a test needs a file, with an optional seed. `openTestDatabase` is a raw connection for the
 * specs that need one: a migration spec starting from an old version, or a second connection reading the rows
 * of a store's file (an in-memory database is private to its connection).
 */
import type { Bus, ServiceDay, Stop } from '$lib/domain/schedule';
import { openDatabase, type SqliteDatabase } from '$lib/server/store/sqlite/connection';
import { applyMigrations } from '$lib/server/store/sqlite/migrate';
import { migrations } from '$lib/server/store/sqlite/migrations';
import { openPgStore } from '$lib/server/store/postgres/pg-store';
import { openSqliteStore } from '$lib/server/store/sqlite/sqlite-store';
import type { Store } from '$lib/server/store/store';
import { createTestPgDatabase } from './postgres';

export interface TestStoreOptions {
	/** A database file; in memory when left out. */
	file?: string;
	/** The store's clock, as an ISO string (the real time when left out). */
	now?: () => string;
	/** Writes what the test starts from, once the store is migrated. */
	seed?: (store: Store) => Promise<unknown>;
	/**
	 * For a test of thousands of commits: on PostgreSQL, commits do not wait for the disk (tests/factories/postgres.ts,
	 * `fast`), as SQLite's in-memory store never does; what the test sees is unchanged.
	 */
	fast?: boolean;
}

/**
 * A store migrated to the latest version and ready, seeded with `seed` when given. In memory on SQLite; on a
 * PostgreSQL database of its own (a copy of the run's migrated template, dropped when the store is closed)
 * when `ESCALE_TEST_STORE=postgres`, which is how the Vitest project `postgres` (vite.config.ts) runs the
 * specs that open a store a second time, on the PostgreSQL adapter. A test that asks for a file is SQLite's own.
 */
export async function openTestStore(options: TestStoreOptions = {}): Promise<Store> {
	const store =
		process.env.ESCALE_TEST_STORE === 'postgres' && options.file === undefined
			? await openTestPgStore(options.now, options.fast ?? false)
			: await openSqliteStore({
					file: options.file ?? ':memory:',
					...(options.now ? { now: options.now } : {})
				});
	await options.seed?.(store);
	return store;
}

async function openTestPgStore(now: (() => string) | undefined, fast: boolean): Promise<Store> {
	const database = await createTestPgDatabase({ migrated: true, fast });
	const store = await openPgStore({ url: database.url, maxConnections: 4, ...(now ? { now } : {}) }).catch(
		async (error: unknown) => {
			await database.drop();
			throw error;
		}
	);
	const close = store.close.bind(store);
	const opened = Object.assign(store, {
		close: async () => {
			openPgStores.delete(opened);
			await close();
			await database.drop();
		}
	});
	openPgStores.add(opened);
	return opened;
}

/**
 * The PostgreSQL test stores not closed yet. Many specs leave a store to the end of the process, which costs
 * nothing on SQLite in memory; on PostgreSQL each holds connections (up to 4) and a database, and a spec of a
 * dozen tests ran the server towards its connection limit. tests/setup/postgres-files.ts closes those a test
 * opened once it ends, and those of a file (opened in `beforeAll`) once the file ends.
 */
const openPgStores = new Set<Store>();

export function listOpenPgTestStores(): Store[] {
	return [...openPgStores];
}

/** A seed writing a schedule, in one transaction: the buses, then their stops, then their service days. */
export function seedSchedule(schedule: { buses?: Bus[]; stops?: Stop[]; days?: ServiceDay[] }) {
	return (store: Store): Promise<void> =>
		store.transaction(async (tx) => {
			await tx.buses.upsertMany(schedule.buses ?? []);
			await tx.stops.upsertMany(schedule.stops ?? []);
			await tx.serviceDays.upsertGenerated(schedule.days ?? []);
		});
}

export interface TestDatabaseOptions {
	/** A database file; in memory when left out. */
	file?: string;
	/** Applies the migrations up to this version (none when left out: the database is taken as it is). */
	version?: number;
	/** The time the applied migrations are recorded at. */
	now?: () => string;
}

/** A raw connection, opened with the app's settings, migrated to `version` when given. */
export function openTestDatabase(options: TestDatabaseOptions = {}): SqliteDatabase {
	const db = openDatabase(options.file ?? ':memory:');
	if (options.version !== undefined) {
		try {
			applyMigrations(db, migrations.slice(0, options.version), options.now);
		} catch (error) {
			db.close();
			throw error;
		}
	}
	return db;
}
