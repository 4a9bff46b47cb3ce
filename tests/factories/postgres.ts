/**
 * PostgreSQL databases for tests: each store or spec makes its own, named at random, and drops it after (even
 * when a test failed). The server is the one every machine of this project runs (CI starts it: .ci/run);
 * `ESCALE_TEST_PG_URL` points at another one.
 *
 * A migrated database is a copy of a template made once per run and per Vitest project (tests/setup/postgres.ts
 * makes it, with every migration applied, and drops it with whatever the run left): copying it is a few
 * pages of WAL, where a new database plus the migrations was a durable commit per migration and a checkpoint.
 * Every name of a run starts with the run's prefix, `escale_test_<start time, base 36>_<random>_`, so the
 * run's end drops them all and a later run drops those of a run that was killed (tests/setup/postgres.ts).
 *
 * Commits are durable as in production (the store's health checks it); a test of many commits may ask for
 * `fast` (synchronous_commit = off): visibility, order and locks are unchanged, only durability after a crash,
 * which no test looks at.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_PG_ADMIN_URL =
	process.env.ESCALE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Every test database's name starts with this, then the run's start time in base 36. */
export const TEST_PG_PREFIX = 'escale_test_';

/** What the global setup hands each test file: the run's prefix and its migrated template. */
export interface TestPgRun {
	prefix: string;
	template: string;
}

let run: TestPgRun | null = null;

/** Called once per test file (tests/setup/postgres-files.ts) with what the global setup made. */
export function useTestPgRun(given: TestPgRun): void {
	run = given;
}

/** A new run's prefix: its start time, for the sweep of killed runs, and a random part, for runs at once. */
export function newTestPgPrefix(now = Date.now()): string {
	return `${TEST_PG_PREFIX}${now.toString(36)}_${randomBytes(4).toString('hex')}_`;
}

/** When the run that made `name` started (ms since the epoch), or null for a name no run of ours made. */
export function testPgRunStart(name: string): number | null {
	const match = /^escale_test_([0-9a-z]{8,9})_[0-9a-f]{8}_/.exec(name);
	return match ? parseInt(match[1]!, 36) : null;
}

export interface TestPgDatabase {
	url: string;
	name: string;
	drop(): Promise<void>;
}

export async function adminPg<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}

export function testPgUrl(name: string): string {
	const url = new URL(TEST_PG_ADMIN_URL);
	url.pathname = `/${name}`;
	return url.toString();
}

/**
 * A database of its own: empty (the migration specs start there), or with every migration applied when
 * `migrated` (a copy of the run's template). `prefix`: what a bench names its databases with, instead of a test
 * run's prefix.
 */
export async function createTestPgDatabase(
	options: { fast?: boolean; migrated?: boolean; prefix?: string } = {}
): Promise<TestPgDatabase> {
	if (options.migrated && !run) {
		throw new Error(
			'No migrated template: the global setup tests/setup/postgres.ts did not run (vite.config.ts)'
		);
	}
	const name = `${options.prefix ?? run?.prefix ?? newTestPgPrefix()}${randomBytes(6).toString('hex')}`;
	await adminPg(async (client) => {
		// WAL_LOG (the default since PostgreSQL 15) copies the template block by block through the WAL: no
		// checkpoint, unlike FILE_COPY, which took a second and more on two busy cores.
		await client.query(
			options.migrated ? `CREATE DATABASE ${name} TEMPLATE ${run!.template}` : `CREATE DATABASE ${name}`
		);
		if (options.fast) await client.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
	});
	return {
		url: testPgUrl(name),
		name,
		drop: () =>
			adminPg(async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)))
	};
}
