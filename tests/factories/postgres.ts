/**
 * PostgreSQL databases for tests: each test file makes its own, named at random, and drops it after (even
 * when a test failed). The server is the one every machine of this project runs (CI starts it: .ci/run);
 * `ESCALE_TEST_PG_URL` points at another one. Commits are durable as in production (the store's health
 * checks it); a test of many commits may ask for `fast` (synchronous_commit = off): visibility, order and
 * locks are unchanged, only durability after a crash, which no test looks at.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env.ESCALE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestPgDatabase {
	url: string;
	name: string;
	drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: ADMIN_URL });
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}

/** `prefix`: what the random name starts with (a bench names its databases as its own). */
export async function createTestPgDatabase(
	options: { fast?: boolean; prefix?: string } = {}
): Promise<TestPgDatabase> {
	const name = `${options.prefix ?? 'escale_test_'}${randomBytes(6).toString('hex')}`;
	await admin(async (client) => {
		await client.query(`CREATE DATABASE ${name}`);
		if (options.fast) await client.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
	});
	const url = new URL(ADMIN_URL);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		name,
		drop: () =>
			admin(async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)))
	};
}
