/**
 * Issue 12, item 6: a pull costs the same on a change log of millions of rows as on a short one, because both
 * of its reads go down an index and stop at the page's end: the bus's rows after the cursor by
 * change_log_bus_seq, already in seq order; the last seq from the end of the primary key. Checked here on the
 * plans PostgreSQL chooses with statistics of a log shaped as a national server's (175 buses); the timings are
 * the bench's (`node scripts/bench/run.js pull-history`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPgDatabase, type TestPgDatabase } from '$factories/postgres';
import { createPgChangeLogRepository, LAST_SEQ_SQL, LIST_FOR_BUS_SQL } from './change-log';
import { openPgDatabase, type PgDatabase } from './connection';
import { applyPgMigrations } from './migrate';
import { pgMigrations } from './migrations';

const BUSES = 175;
const ROWS = 35_000;
const BUS = 'bus-0';

let database: TestPgDatabase;
let db: PgDatabase;
beforeAll(async () => {
	database = await createTestPgDatabase({ fast: true });
	db = openPgDatabase(database.url, { max: 1 });
	await applyPgMigrations(db, pgMigrations);
	await db.query(
		`INSERT INTO change_log (bus_id, entity, entity_id, op, data, at)
		SELECT 'bus-' || (i % $1), 'stop', 'stop-' || i, 'put', json_build_object('id', 'stop-' || i), '2026-03-10T10:00:00.000Z'
		FROM generate_series(1, $2) AS s(i) ORDER BY i`,
		[BUSES, ROWS]
	);
	// The statistics autovacuum takes of a table that grew.
	await db.query('ANALYZE change_log');
});
afterAll(async () => {
	await db?.close();
	await database?.drop();
});

interface PlanNode {
	'Node Type': string;
	'Index Name'?: string;
	'Index Cond'?: string;
	Plans?: PlanNode[];
}

/** Every node of the plan PostgreSQL chooses for `sql` with these parameters. */
async function planNodes(sql: string, params: unknown[] = []): Promise<PlanNode[]> {
	// json comes back as its text (connection.ts).
	const [row] = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
	const all: PlanNode[] = [];
	const walk = (node: PlanNode) => {
		all.push(node);
		node.Plans?.forEach(walk);
	};
	if (row) walk((JSON.parse(row['QUERY PLAN']) as [{ Plan: PlanNode }])[0].Plan);
	return all;
}

/** Plan nodes that would read or fold the whole log to find its last seq. */
const READS_ALL = ['Seq Scan', 'Sort', 'Incremental Sort', 'Bitmap Heap Scan', 'Aggregate'];

describe("a pull's reads of the PostgreSQL change log", () => {
	it.each([
		['a new tablet (cursor 0)', 0],
		['a tablet near the head', ROWS - 3 * BUSES]
	])('read the page of %s in the (bus_id, seq) index, from the cursor on', async (_, cursor) => {
		// PostgreSQL picks by cost between walking the index in seq order until the page is full and, when the
		// bus has few rows after the cursor, fetching those few and sorting them: either way the index bounds
		// the read by bus and cursor, never the rest of the log (no sequential scan).
		const nodes = await planNodes(LIST_FOR_BUS_SQL, [BUS, cursor, 501]);
		expect(nodes.filter((node) => node['Node Type'] === 'Seq Scan')).toEqual([]);
		const scans = nodes.filter((node) => node['Index Cond'] !== undefined);
		expect(scans).toHaveLength(1);
		expect(scans[0]?.['Index Name']).toBe('change_log_bus_seq');
		expect(scans[0]?.['Index Cond']).toMatch(/bus_id = .* AND \(seq > /);

		const changes = await createPgChangeLogRepository(db).listForBus(BUS, cursor, 501);
		const expected = Array.from({ length: ROWS / BUSES }, (_, i) => (i + 1) * BUSES).filter(
			(seq) => seq > cursor
		);
		expect(changes.map((change) => change.seq)).toEqual(expected.slice(0, 501));
	});

	it('read the last seq from the end of the primary key, not by aggregating the log', async () => {
		const nodes = await planNodes(LAST_SEQ_SQL);
		expect(nodes.filter((node) => READS_ALL.includes(node['Node Type']))).toEqual([]);
		expect(nodes.find((node) => node['Index Name'] === 'change_log_pkey')?.['Node Type']).toBe(
			'Index Only Scan'
		);
		expect(await createPgChangeLogRepository(db).lastSeq()).toBe(ROWS);
	});
});
