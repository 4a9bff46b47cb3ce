/**
 * Issue 12, item 3: on PostgreSQL a sequence value is taken before commit, so a reader could see change 102
 * committed before change 101 and move its cursor past 101 for good. `log_change` numbers a bus's changes in
 * commit order (a lock per bus until commit). Proved twice: a scripted interleaving that loses a row with the
 * naive function (no lock) and none with the real one; then two writers committing 10,000 transactions while
 * a reader pulls without pause, as tablets do: 0 rows skipped, 0 repeated.
 */
import { setImmediate as yieldToOthers } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPgDatabase, type TestPgDatabase } from '$factories/postgres';
import { createPgChangeLogRepository } from './change-log';
import { openPgDatabase, type PgConnection, type PgDatabase } from './connection';

const AT = '2026-03-10T10:00:00.000Z';
type LogFunction = 'log_change' | 'log_change_naive';

let database: TestPgDatabase;
let db: PgDatabase;
beforeAll(async () => {
	database = await createTestPgDatabase({ fast: true, migrated: true });
	db = openPgDatabase(database.url, { max: 6 });
	// The function as anyone would first write it: the same insert, without the per-bus lock.
	await db.query(`CREATE FUNCTION log_change_naive(bus text, kind text, entity text, data json, at text)
		RETURNS void LANGUAGE sql AS $$
		INSERT INTO change_log (bus_id, entity, entity_id, op, data, at) VALUES (bus, kind, entity, 'put', data, at)
	$$`);
});
afterAll(async () => {
	await db?.close();
	await database?.drop();
});

function log(connection: PgConnection, fn: LogFunction, bus: string, entity: string): Promise<unknown> {
	return connection.query(`SELECT ${fn}($1, 'stop', $2, '{}'::json, $3)`, [bus, entity, AT]);
}

/** Everything of `bus` after `cursor`, as a pull reads it; returns the seqs read. */
async function pull(bus: string, cursor: number): Promise<number[]> {
	return (await createPgChangeLogRepository(db).listForBus(bus, cursor, 1000)).map((change) => change.seq);
}

/** The seqs a reader saw against the log as it stands once every writer is done. */
async function verdict(bus: string, seen: number[]): Promise<{ skipped: number[]; repeated: number }> {
	const all = await db.query<{ seq: number }>('SELECT seq FROM change_log WHERE bus_id = $1 ORDER BY seq', [
		bus
	]);
	const once = new Set(seen);
	return {
		skipped: all.map((row) => row.seq).filter((seq) => !once.has(seq)),
		repeated: seen.length - once.size
	};
}

/**
 * Writer A takes its number and does not commit yet; writer B writes a change of the same bus and commits;
 * the reader pulls; A commits; the reader pulls again.
 */
async function scripted(fn: LogFunction, bus: string): Promise<{ skipped: number[]; repeated: number }> {
	let releaseA: () => void = () => undefined;
	const aMayCommit = new Promise<void>((resolve) => (releaseA = resolve));
	let aLogged: () => void = () => undefined;
	const aHasLogged = new Promise<void>((resolve) => (aLogged = resolve));
	const a = db.transaction(async (connection) => {
		await log(connection, fn, bus, 'a');
		aLogged();
		await aMayCommit;
	});
	await aHasLogged;
	let bDone = false;
	const b = db
		.transaction((connection) => log(connection, fn, bus, 'b'))
		.then(() => {
			bDone = true;
		});
	// B either commits now (naive) or waits for A's lock (real): give it every chance to commit first.
	for (let i = 0; i < 50 && !bDone; i++) await new Promise((resolve) => setTimeout(resolve, 2));
	const seen = await pull(bus, 0);
	const cursor = seen.at(-1) ?? 0;
	releaseA();
	await a;
	await b;
	seen.push(...(await pull(bus, cursor)));
	return verdict(bus, seen);
}

describe('the PostgreSQL change log, read by a cursor', () => {
	it('loses a row with the naive function and none with the per-bus lock, on a scripted interleaving', async () => {
		const naive = await scripted('log_change_naive', 'bus-scripted-naive');
		expect(naive.skipped).toHaveLength(1);
		expect(await scripted('log_change', 'bus-scripted-locked')).toEqual({ skipped: [], repeated: 0 });
	});

	it('skips and repeats nothing over 10,000 commits of two writers while a reader pulls continuously', async () => {
		const bus = 'bus-continuous';
		const COMMITS = 10_000;
		let committed = 0;
		const writer = async (name: string) => {
			for (let i = 0; committed < COMMITS; i++) {
				await db.transaction(async (connection) => {
					await log(connection, 'log_change', bus, `${name}-${i}`);
					// A second change in some transactions, after letting the other writer and the reader run.
					if (i % 3 === 0) {
						await yieldToOthers();
						await log(connection, 'log_change', bus, `${name}-${i}-bis`);
					}
				});
				committed++;
			}
		};
		const seen: number[] = [];
		let cursor = 0;
		let pulls = 0;
		const writers = Promise.all([writer('a'), writer('b')]);
		let writing = true;
		void writers.then(() => (writing = false));
		while (writing) {
			const read = await pull(bus, cursor);
			seen.push(...read);
			cursor = read.at(-1) ?? cursor;
			pulls++;
		}
		await writers;
		for (let read = await pull(bus, cursor); read.length > 0; read = await pull(bus, cursor)) {
			seen.push(...read);
			cursor = read.at(-1) ?? cursor;
		}
		expect(committed).toBeGreaterThanOrEqual(COMMITS);
		expect(pulls).toBeGreaterThan(100);
		expect(await verdict(bus, seen)).toEqual({ skipped: [], repeated: 0 });
		expect(seen.length).toBeGreaterThan(COMMITS);
	}, 300_000);
});
