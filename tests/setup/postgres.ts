/**
 * Vitest global setup (vite.config.ts), once per project: checks that PostgreSQL answers, drops what killed
 * runs left, makes this run's migrated template (tests/factories/postgres.ts copies it for each store), and
 * at the end drops the template and every database of the run still there, whether tests passed or not.
 *
 * Without a server the run stops here, with what to do: the store suites are meant to run on both engines,
 * and a run that skipped PostgreSQL would pass without having tested it.
 */
import type { TestProject } from 'vitest/node';
import { applyPgMigrations } from '../../src/lib/server/store/postgres/migrate';
import { pgMigrations } from '../../src/lib/server/store/postgres/migrations';
import { openPgDatabase } from '../../src/lib/server/store/postgres/connection';
import {
	adminPg,
	newTestPgPrefix,
	TEST_PG_ADMIN_URL,
	TEST_PG_PREFIX,
	testPgRunStart,
	testPgUrl,
	type TestPgRun
} from '../factories/postgres';

declare module 'vitest' {
	export interface ProvidedContext {
		escaleTestPg: TestPgRun;
	}
}

/** A run's databases older than this are a killed run's: no run of this suite lasts an hour. */
const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	await checkServer();
	await dropStale();
	const run: TestPgRun = { prefix: newTestPgPrefix(), template: '' };
	run.template = `${run.prefix}template`;
	const teardown = () => dropRun(run.prefix);
	try {
		await adminPg((client) => client.query(`CREATE DATABASE ${run.template}`));
		const db = openPgDatabase(testPgUrl(run.template), { max: 1 });
		try {
			await applyPgMigrations(db, pgMigrations);
		} finally {
			await db.close();
		}
		// No one connects to it any more: a copy is refused while a session is open on its template.
		await adminPg((client) =>
			client.query(`ALTER DATABASE ${run.template} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`)
		);
	} catch (error) {
		await teardown();
		throw error;
	}
	project.provide('escaleTestPg', run);
	return teardown;
}

async function checkServer(): Promise<void> {
	try {
		await adminPg((client) => client.query('SELECT 1'));
	} catch (error) {
		const where = new URL(TEST_PG_ADMIN_URL);
		where.password = '';
		throw new Error(
			`PostgreSQL does not answer at ${where.host} (${error instanceof Error ? error.message : String(error)}). ` +
				"The store tests run on SQLite and on PostgreSQL. Start the machine's server with " +
				'`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, or point the tests at ' +
				'another one with ESCALE_TEST_PG_URL=postgres://user@host:port/database (a user allowed to create databases).',
			{ cause: error }
		);
	}
}

async function listDatabases(): Promise<string[]> {
	return adminPg(async (client) => {
		const { rows } = await client.query<{ datname: string }>(
			'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
			[TEST_PG_PREFIX]
		);
		return rows.map((row) => row.datname);
	});
}

async function dropAll(names: string[]): Promise<void> {
	if (names.length === 0) return;
	await adminPg(async (client) => {
		for (const name of names) {
			// A template cannot be dropped; ours stops being one first.
			await client.query(`ALTER DATABASE ${name} WITH IS_TEMPLATE false`).catch(() => undefined);
			await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
		}
	});
}

function dropRun(prefix: string): Promise<void> {
	return listDatabases().then((names) => dropAll(names.filter((name) => name.startsWith(prefix))));
}

async function dropStale(now = Date.now()): Promise<void> {
	const names = await listDatabases();
	await dropAll(
		names.filter((name) => {
			const started = testPgRunStart(name);
			return started !== null && now - started > STALE_AFTER_MS;
		})
	);
}
