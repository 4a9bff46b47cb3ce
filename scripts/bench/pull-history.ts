/**
 * `node scripts/bench/run.js pull-history` (issue 12, item 6): the cost of a pull must not grow with the
 * change log's history. On each store (SQLite in a temporary file, PostgreSQL in a database of its own on
 * 127.0.0.1:5432, both removed at the end), a tablet enrolled over HTTP pulls through the real handler, in the
 * body the sync engine sends (limit 500), from two cursors: none (a new tablet's first page) and 3 of its
 * bus's changes behind the last one (a tablet that syncs often). Each is timed on a log of 10,000 rows and on
 * one of 1,000,000 (two stores of the engine side by side, each behind its own HTTP server with its own
 * tablet), the pulls of all cases interleaved in a new order each round, median of 31. One more case reads
 * from the long log a first page of the short log's size: the same work, so what differs is the history's.
 * Besides the round trip the tablet sees, the time in the handler alone (what the server pays per pull).
 *
 * The log is filled with set-based SQL in one statement (PostgreSQL: generate_series; SQLite: a recursive
 * CTE), shaped as a national server's: 175 buses, the tablet's bus holding every 175th row, 9 of 10 rows a
 * service day, 1 a stop, each with its `data` as the triggers write it. A pull reads only the log (no join),
 * so the other 174 buses exist only there. After the fill, the WAL is checkpointed (and on PostgreSQL the
 * table vacuumed and analysed, as autovacuum would shortly after such a growth): the pulls meet a log as a
 * running server holds it, not the fill's pending writes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport, type Transport } from '$lib/client/sync/transport';
import { openPgDatabase, type PgDatabase } from '$lib/server/store/postgres/connection';
import { openPgStore } from '$lib/server/store/postgres/pg-store';
import { openDatabase } from '$lib/server/store/sqlite/connection';
import { openSqliteStore } from '$lib/server/store/sqlite/sqlite-store';
import type { Store } from '$lib/server/store/store';
import { encodeCursor, PROTOCOL_VERSION, PullResponseSchema, type PullRequest } from '$lib/sync';
import { BUS_ID, enrollOverHttp, seedStore, serviceDays } from './fixtures';
import { startBenchServer, type BenchServer } from './http-server';
import { openNodePostgresAdmin } from './pg-clients/node-postgres';
import type { Admin } from './pg-clients/probes';
import { median } from './pg-clients/workload';
import { inNewDatabase, SERVER } from './pg-database';
import { printTable, ratio, type Row } from './report';

const SIZES = [10_000, 1_000_000] as const;
const BUSES = 175;
/** What the engine asks for (SyncEngine's pullLimit). */
const PULL_LIMIT = 500;
/** How far behind the head the second cursor is, in the bus's own changes. */
const BEHIND = 3;
const WARM_UP_PULLS = 5;
const PULLS = 31;
/** Issue 12: the figures within 2× of each other. */
const TARGET = 2;

/** The log rows with ordinals first..last: bus, entity, id, data and instant derived from the ordinal. */
function fillSelect(dialect: 'sqlite' | 'postgres'): string {
	const day =
		dialect === 'sqlite'
			? `date('2020-01-01', '+' || (i / 525) || ' days')`
			: `to_char(date '2020-01-01' + (i / 525)::int, 'YYYY-MM-DD')`;
	const series =
		dialect === 'sqlite'
			? `(WITH RECURSIVE n(i) AS (SELECT :first UNION ALL SELECT i + 1 FROM n WHERE i < :last) SELECT i FROM n) AS s`
			: `generate_series($2::bigint, $3::bigint) AS s(i)`;
	const busParameter = dialect === 'sqlite' ? ':bus' : '$1::text';
	const object = dialect === 'sqlite' ? 'json_object' : 'json_build_object';
	return `SELECT bus,
		CASE WHEN i % 10 = 0 THEN 'stop' ELSE 'serviceDay' END,
		CASE WHEN i % 10 = 0 THEN stop ELSE bus || '-jour@' || day END,
		'put',
		CASE WHEN i % 10 = 0
			THEN ${object}('id', stop, 'busId', bus, 'insee', '23001', 'commune', 'Ahun', 'postalCode', '23150',
				'place', 'Place de la mairie', 'address', '1 place de la Mairie', 'accessNotes', NULL,
				'latitude', 46.0853, 'longitude', 2.0487)
			ELSE ${object}('id', bus || '-jour@' || day, 'busId', bus, 'stopId', stop, 'ruleId', 'hebdo-' || (i % 3),
				'date', day, 'start', '09:00', 'end', '16:00', 'status', 'planned', 'reason', NULL)
		END,
		day || 'T07:30:00.000Z'
	FROM (SELECT i, bus, bus || '-arret-' || (i / ${BUSES} % 12) AS stop, ${day} AS day
		FROM (SELECT i, CASE WHEN i % ${BUSES} = 0 THEN ${busParameter} ELSE 'fs-' || (9001 + i % ${BUSES}) END AS bus
			FROM ${series}) AS b) AS r
	ORDER BY i`;
}

const INSERT = 'INSERT INTO change_log (bus_id, entity, entity_id, op, data, at) ';
const HEAD_CURSOR_SQL = 'SELECT seq FROM change_log WHERE bus_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?';

/** An engine as the bench drives it: the store the handler uses, and raw SQL to grow its log. */
interface BenchEngine {
	name: string;
	store: Store;
	/** Adds rows until the log holds `rows`, in one statement; returns how many it added. */
	growTo(rows: number): Promise<number>;
	/** The sequence number 3 of the bus's changes behind its last one. */
	headCursorSeq(): Promise<number>;
	busRows(): Promise<number>;
	close(): Promise<void>;
}

async function openSqliteEngine(file: string): Promise<BenchEngine> {
	const store = await openSqliteStore({ file });
	// A second connection for the fill, as a maintenance script would hold: the store's handlers never see it.
	const raw = openDatabase(file);
	const scalar = (sql: string, ...params: unknown[]) =>
		Number(Object.values(raw.prepare(sql).get(...params) as Record<string, unknown>)[0]);
	return {
		name: 'SQLite',
		store,
		async growTo(rows) {
			const first = scalar('SELECT count(*) FROM change_log') + 1;
			raw.prepare(INSERT + fillSelect('sqlite')).run({ first, last: rows, bus: BUS_ID });
			// The fill's hundreds of megabytes of WAL copied into the database now, not during the pulls (a
			// server gets there through its automatic checkpoints, spread over months of small commits).
			raw.pragma('wal_checkpoint(TRUNCATE)');
			return rows - first + 1;
		},
		headCursorSeq: async () => scalar(HEAD_CURSOR_SQL, BUS_ID, BEHIND),
		busRows: async () => scalar('SELECT count(*) FROM change_log WHERE bus_id = ?', BUS_ID),
		async close() {
			raw.close();
			await store.close();
		}
	};
}

async function openPostgresEngine(url: string): Promise<BenchEngine> {
	const store = await openPgStore({ url });
	const raw: PgDatabase = openPgDatabase(url, { max: 1 });
	const scalar = async (sql: string, params: unknown[] = []) => {
		const [row] = await raw.query(sql, params);
		return Number(Object.values(row ?? {})[0]);
	};
	return {
		name: 'PostgreSQL',
		store,
		async growTo(rows) {
			const first = (await scalar('SELECT count(*) FROM change_log')) + 1;
			await raw.query(INSERT + fillSelect('postgres'), [BUS_ID, first, rows]);
			// What autovacuum does soon after a table grows by more than 10-20 %: the planner's statistics, and
			// the visibility map, as a server that has been running sees them.
			await raw.query('VACUUM ANALYZE change_log');
			// The fill's WAL written out now, not by a checkpoint that falls during the pulls.
			await raw.query('CHECKPOINT');
			return rows - first + 1;
		},
		headCursorSeq: () => scalar(HEAD_CURSOR_SQL.replace('?', '$1').replace('?', '$2'), [BUS_ID, BEHIND]),
		busRows: () => scalar('SELECT count(*) FROM change_log WHERE bus_id = $1', [BUS_ID]),
		async close() {
			await raw.close();
			await store.close();
		}
	};
}

interface PullFigure {
	/** Median round trip as the tablet's transport sees it: request, handler, gzip, answer checked. */
	ms: number;
	/** Median time in the handler alone. */
	handlerMs: number;
	changes: number;
}

/** One log size on one engine: its store behind an HTTP server of its own, and a tablet enrolled there. */
interface Log {
	rows: number;
	busRows: number;
	server: BenchServer;
	transport: Transport;
	token: string;
	/** The cursor 3 of the bus's changes behind its last one. */
	head: string;
}

async function prepareLog(engine: BenchEngine, rows: number): Promise<Log> {
	const server = await startBenchServer(engine.store);
	try {
		// The bus, its stop and one service day, through the store: the device's bus must exist to enroll.
		await seedStore(engine.store, serviceDays(1));
		const transport = createTransport({ fetch, baseUrl: server.url });
		const token = await enrollOverHttp(engine.store, transport);
		const started = performance.now();
		const added = await engine.growTo(rows);
		const fillMs = performance.now() - started;
		const busRows = await engine.busRows();
		const count = (value: number) => value.toLocaleString('en-US');
		console.log(
			`  ${engine.name}: ${count(rows)}-row log (${count(added)} rows added in ${(fillMs / 1000).toFixed(1)} s), ${count(busRows)} of them the tablet's bus's`
		);
		return { rows, busRows, server, transport, token, head: encodeCursor(await engine.headCursorSeq()) };
	} catch (error) {
		await server.close();
		throw error;
	}
}

interface PullCase {
	log: Log;
	cursor: string | null;
	limit: number;
	ms: number[];
	handlerMs: number[];
}

const pullCase = (log: Log, cursor: string | null, limit = PULL_LIMIT): PullCase => ({
	log,
	cursor,
	limit,
	ms: [],
	handlerMs: []
});

/** One pull as the engine sends it; checks that it got the bus's changes it should have. */
async function pullOnce({ log, cursor, limit }: PullCase): Promise<number> {
	const request: PullRequest = { protocol: PROTOCOL_VERSION, cursor, limit };
	const expected = cursor === null ? Math.min(log.busRows, limit) : BEHIND;
	const started = performance.now();
	const answer = await log.transport.post('/api/sync/pull', request, PullResponseSchema, log.token);
	const ms = performance.now() - started;
	if (!answer.ok) throw new Error(`pull failed: ${answer.kind}`);
	const { changes } = answer.body;
	if (changes.length !== expected || changes.some((change) => !change.id.startsWith(BUS_ID))) {
		throw new Error(`pull from ${cursor ?? 'null'}: ${changes.length} changes, ${expected} expected`);
	}
	return ms;
}

/** The cases in a new random order: no case always follows the one that leaves the most garbage behind. */
function shuffled<T>(items: readonly T[]): T[] {
	const copy = [...items];
	for (let i = copy.length - 1; i > 0; i--) {
		const j = Math.floor(Math.random() * (i + 1));
		[copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
	}
	return copy;
}

/**
 * Every case once per round, in a new order each round, so that a slow moment of this shared machine (a
 * disk flush, another process, a garbage collection) weighs on the small and the large log alike.
 */
async function measure(cases: PullCase[]): Promise<PullFigure[]> {
	for (let round = 0; round < WARM_UP_PULLS; round++) {
		for (const each of cases) await pullOnce(each);
	}
	for (const each of cases) each.log.server.take();
	for (let round = 0; round < PULLS; round++) {
		for (const each of shuffled(cases)) {
			each.ms.push(await pullOnce(each));
			each.handlerMs.push(each.log.server.take()[0]?.handlerMs ?? Number.NaN);
		}
	}
	return cases.map((each) => ({
		ms: median(each.ms),
		handlerMs: median(each.handlerMs),
		changes: each.cursor === null ? Math.min(each.log.busRows, each.limit) : BEHIND
	}));
}

interface EngineFigures {
	engine: string;
	small: { rows: number; fresh: PullFigure; head: PullFigure };
	large: { rows: number; fresh: PullFigure; head: PullFigure; freshSamePage: PullFigure };
}

/** The small and the large log of one engine, each in a store of its own, measured together. */
async function benchEngine(smallEngine: BenchEngine, largeEngine: BenchEngine): Promise<EngineFigures> {
	const [smallRows, largeRows] = SIZES;
	const small = await prepareLog(smallEngine, smallRows);
	try {
		const large = await prepareLog(largeEngine, largeRows);
		try {
			const [smallFresh, smallHead, largeFresh, largeHead, largeFreshSamePage] = await measure([
				pullCase(small, null),
				pullCase(small, small.head),
				pullCase(large, null),
				pullCase(large, large.head),
				// The first page at the size of the small log's whole history: the same rows to read and send, so
				// any difference left is the history's.
				pullCase(large, null, small.busRows)
			]);
			if (!smallFresh || !smallHead || !largeFresh || !largeHead || !largeFreshSamePage)
				throw new Error('a case was not measured');
			return {
				engine: smallEngine.name,
				small: { rows: smallRows, fresh: smallFresh, head: smallHead },
				large: { rows: largeRows, fresh: largeFresh, head: largeHead, freshSamePage: largeFreshSamePage }
			};
		} finally {
			await large.server.close();
		}
	} finally {
		await small.server.close();
	}
}

const millis = (figure: PullFigure) =>
	`${figure.ms.toFixed(2)} ms (handler ${figure.handlerMs.toFixed(2)}; ${figure.changes} changes)`;
const verdict = (value: number) =>
	`${ratio(value)} (target ≤ ${TARGET.toFixed(2)}: ${value <= TARGET ? 'met' : 'MISSED'})`;

function rowsFor({ engine, small, large }: EngineFigures): Row[] {
	const four = [small.fresh, small.head, large.fresh, large.head].map((figure) => figure.ms);
	const spread = Math.max(...four) / Math.min(...four);
	return [
		{
			figure: `${engine}: fresh cursor (a new tablet's first page, limit ${PULL_LIMIT})`,
			escale: millis(large.fresh),
			baseline: millis(small.fresh),
			ratio: ratio(large.fresh.ms / small.fresh.ms)
		},
		{
			figure: `${engine}:   the same, a page of the small log's ${small.fresh.changes} changes`,
			escale: millis(large.freshSamePage),
			baseline: millis(small.fresh),
			ratio: verdict(large.freshSamePage.ms / small.fresh.ms)
		},
		{
			figure: `${engine}: cursor ${BEHIND} changes behind the head`,
			escale: millis(large.head),
			baseline: millis(small.head),
			ratio: verdict(large.head.ms / small.head.ms)
		},
		{
			figure: `${engine}: the four figures, slowest over fastest`,
			escale: `${Math.max(...four).toFixed(2)} ms`,
			baseline: `${Math.min(...four).toFixed(2)} ms`,
			// Whatever the log's length, a full first page is more to read, encode, compress and check than 3
			// changes: that part of the spread is the page's size, bounded by the limit, not the history.
			ratio: `${verdict(spread)}, pages of ${large.fresh.changes} and ${BEHIND} changes`
		}
	];
}

/** Runs `work` with `count` new databases, all dropped after whatever happens. */
async function inNewDatabases(admin: Admin, count: number, work: (urls: string[]) => Promise<void>) {
	const open = async (urls: string[]): Promise<void> =>
		urls.length === count
			? work(urls)
			: inNewDatabase(admin, (url) => open([...urls, url]), 'escale_pullbench_');
	await open([]);
}

/** Opens both engines' stores, runs `work`, closes them whatever happens. */
async function withEngines(
	open: () => Promise<BenchEngine>,
	work: (small: BenchEngine, large: BenchEngine) => Promise<void>
): Promise<void> {
	const small = await open();
	try {
		const large = await open();
		try {
			await work(small, large);
		} finally {
			await large.close();
		}
	} finally {
		await small.close();
	}
}

export async function runPullHistoryBench(): Promise<void> {
	const started = performance.now();
	const results: EngineFigures[] = [];
	console.log(
		`Pull against history; load average ${loadavg()
			.map((value) => value.toFixed(2))
			.join(', ')}`
	);

	const dir = mkdtempSync(join(tmpdir(), 'escale-pull-history-'));
	// A Ctrl-C or a kill ends the process past the `finally` below: the files go first.
	const interrupted = (signal: NodeJS.Signals) => {
		console.error(`\n${signal}: removing ${dir}`);
		rmSync(dir, { recursive: true, force: true });
		process.exit(130);
	};
	process.once('SIGINT', interrupted);
	process.once('SIGTERM', interrupted);
	try {
		let files = 0;
		await withEngines(
			() => openSqliteEngine(join(dir, `log-${++files}.db`)),
			async (small, large) => void results.push(await benchEngine(small, large))
		);
	} finally {
		rmSync(dir, { recursive: true, force: true });
		process.off('SIGINT', interrupted);
		process.off('SIGTERM', interrupted);
	}

	const admin = await openNodePostgresAdmin(`${SERVER}/postgres`);
	try {
		await inNewDatabases(admin, 2, async ([smallUrl = '', largeUrl = '']) => {
			const urls = [smallUrl, largeUrl];
			await withEngines(
				() => openPostgresEngine(urls.shift() ?? ''),
				async (small, large) => void results.push(await benchEngine(small, large))
			);
		});
	} finally {
		await admin.end();
	}

	const [small, large] = SIZES.map((rows) => rows.toLocaleString('en-US'));
	printTable(
		`Pull latency against history (issue 12, item 6): "Escale" on a ${large}-row change log, "baseline" the same pull on ${small} rows ` +
			`(${BUSES} buses, the tablet's bus holding 1/${BUSES} of the rows); round trip through the tablet's transport, ` +
			`median of ${PULLS}, the cases interleaved; "handler": the time in the pull handler`,
		results.flatMap(rowsFor)
	);
	console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s in all, fills included)`);
}

export const runBench = runPullHistoryBench;
