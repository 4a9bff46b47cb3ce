import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPgDatabase, type TestPgDatabase } from '$factories/postgres';
import { openPgDatabase, type PgDatabase } from './connection';

let database: TestPgDatabase;
let db: PgDatabase;
beforeAll(async () => {
	database = await createTestPgDatabase();
	db = openPgDatabase(database.url, { max: 3 });
	await db.query('CREATE TABLE t (n integer PRIMARY KEY, doc json)');
});
afterAll(async () => {
	await db?.close();
	await database?.drop();
});

describe('the PostgreSQL connection', () => {
	it('commits a transaction whole, rolls it back whole when its code throws', async () => {
		await db.transaction(async (tx) => {
			await tx.query('INSERT INTO t VALUES (1, $1)', ['{"b": 1,  "a": [2]}']);
		});
		await expect(
			db.transaction(async (tx) => {
				await tx.query('INSERT INTO t VALUES (2, NULL)');
				throw new Error('refused');
			})
		).rejects.toThrow('refused');
		// json comes back as the exact text written, bigint as a number.
		expect(await db.query('SELECT n, doc, 9007199254740991::bigint AS big FROM t')).toEqual([
			{ n: 1, doc: '{"b": 1,  "a": [2]}', big: 9007199254740991 }
		]);
	});

	it('survives a connection killed in the middle of a transaction: it fails whole, and the next one works', async () => {
		const killed = db.transaction(async (tx) => {
			await tx.query('INSERT INTO t VALUES (10, NULL)');
			const [me] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
			await db.query('SELECT pg_terminate_backend($1)', [me?.pid]);
			await tx.query('INSERT INTO t VALUES (11, NULL)');
		});
		await expect(killed).rejects.toThrow();
		expect(await db.query('SELECT n FROM t WHERE n >= 10')).toEqual([]);
		await db.transaction((tx) => tx.query('INSERT INTO t VALUES (12, NULL)'));
		expect(await db.query('SELECT n FROM t WHERE n >= 10')).toEqual([{ n: 12 }]);
	});
});
