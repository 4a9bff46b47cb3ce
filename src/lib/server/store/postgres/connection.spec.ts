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

	it('hands a free connection to other work before low-priority work, whatever came first', async () => {
		const one = openPgDatabase(database.url, { max: 1 });
		try {
			const { held, release } = await holdTheConnection(one);
			const order: string[] = [];
			// Waits for the one connection, queued first; then a page's read, queued after it.
			const tablet = one.lowPriority(() => one.query('SELECT 1')).then(() => order.push('tablet'));
			const page = one.query('SELECT 1').then(() => order.push('page'));
			release();
			await Promise.all([held, tablet, page]);
			expect(order).toEqual(['page', 'tablet']);
			// With nothing else waiting, low-priority work gets the connection at once.
			await expect(one.lowPriority(() => one.query<{ n: number }>('SELECT 2 AS n'))).resolves.toEqual([
				{ n: 2 }
			]);
		} finally {
			await one.close();
		}
	});

	it('gives up waiting for a connection after its time, and the connection still goes to the next one', async () => {
		const one = openPgDatabase(database.url, { max: 1, connectTimeoutMs: 200 });
		try {
			const { held, release } = await holdTheConnection(one);
			await expect(one.query('SELECT 1')).rejects.toThrow('timeout exceeded when trying to connect');
			const next = one.query<{ n: number }>('SELECT 3 AS n');
			release();
			await held;
			await expect(next).resolves.toEqual([{ n: 3 }]);
		} finally {
			await one.close();
		}
	});
});

/** Checks out a connection of `db` in a transaction that lasts until `release()`; resolves once it holds it. */
async function holdTheConnection(db: PgDatabase): Promise<{ held: Promise<void>; release: () => void }> {
	let release: () => void = () => undefined;
	let held: Promise<void> = Promise.resolve();
	await new Promise<void>((holding) => {
		held = db.transaction(
			() =>
				new Promise<void>((resolve) => {
					release = resolve;
					holding();
				})
		);
	});
	return { held, release };
}
