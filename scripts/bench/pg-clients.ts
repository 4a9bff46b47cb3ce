/**
 * `npm run bench:pg-clients` (issue 12): which PostgreSQL client the future PostgreSQL store adapter uses,
 * node-postgres (`pg`) or postgres.js (`postgres`), measured on Escale's push path rather than chosen on
 * reputation. The figures and the choice are in docs/adr/0002-postgresql-client.md.
 *
 * It creates a database of a random name on 127.0.0.1:5432 (user postgres), drops it at the end, also when
 * a step fails or the run is interrupted, and leaves the server's settings alone: synchronous_commit stays
 * on, so each push transaction waits for its durable commit, as the adapter's will. For each client and
 * each of its ways to insert: 10,000 visits pushed in transactions of the protocol's batch (500), median of
 * 3 runs after a warm-up; the two reads; then what each client does when its connection is lost.
 *
 * pg is Escale's dependency; postgres.js is measured only when installed by hand (`npm install --no-save
 * postgres`), since the ADR did not choose it.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { LIMITS } from '$lib/sync';
import { generateVisits, serviceDays } from './fixtures';
import { nodePostgresProbes, openNodePostgres, openNodePostgresAdmin } from './pg-clients/node-postgres';
import { loadPostgresJs, openPostgresJs, postgresJsProbes } from './pg-clients/postgres-js';
import { runProbes, type Admin, type Probe, type ProbeCase } from './pg-clients/probes';
import { inNewDatabase, SERVER } from './pg-database';
import {
	checkVerified,
	median,
	pushBatches,
	RESET_SQL,
	schemaSql,
	seedSql,
	visitsTableSql,
	type Approach,
	type ClientUnderTest,
	type PayloadType,
	type PushBatch
} from './pg-clients/workload';

const VISITS = 10_000;
const WARM_UP_VISITS = 2_000;
const RUNS = 3;
const POINT_READS = 100;
const RANGE_ROWS = 500;
const READ_RUNS = 5;
/** The payload column's type in the main figures (the ADR says why); the others are timed beside it. */
const PAYLOAD: PayloadType = 'json';

/** A client as the bench runs it, in one configuration. */
interface ClientModule {
	name: string;
	/** pg, the client chosen: the payload types are timed with its fastest insert. */
	chosen: boolean;
	open(url: string): Promise<ClientUnderTest>;
	probes?(url: string, admin: Admin): ProbeCase[];
	/** Ways to insert this client does not offer, with the reason, shown in the table. */
	missing: { approach: string; why: string }[];
}

async function loadClients(): Promise<ClientModule[]> {
	const clients: ClientModule[] = [
		{
			name: `pg ${versionOf('pg')}`,
			chosen: true,
			open: openNodePostgres,
			probes: nodePostgresProbes,
			missing: [{ approach: 'COPY FROM STDIN', why: 'not in pg: the pg-copy-streams package' }]
		}
	];
	const connect = await loadPostgresJs();
	if (!connect) {
		console.log(
			'postgres (postgres.js) is not installed: `npm install --no-save postgres` to measure it too.'
		);
		return clients;
	}
	const name = `postgres ${versionOf('postgres')}`;
	return [
		...clients,
		{
			name,
			chosen: false,
			open: (url) => openPostgresJs(connect, url, false),
			probes: (url, admin) => postgresJsProbes(connect, url, admin),
			missing: []
		},
		{
			name: `${name}, tuned`,
			chosen: false,
			open: (url) => openPostgresJs(connect, url, true),
			missing: []
		}
	];
}

function versionOf(name: string): string {
	const file = `${process.env.ESCALE_BENCH_ROOT ?? ''}node_modules/${name}/package.json`;
	return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

interface PushFigure {
	client: string;
	approach: string;
	payload: PayloadType;
	runsMs: number[];
}

/** Empties the tables, checkpoints (so no run pays for the previous one's dirty pages), pushes, checks. */
async function timedPush(
	client: ClientUnderTest,
	approach: Approach,
	batches: PushBatch[],
	payload: PayloadType
): Promise<number> {
	await client.exec(RESET_SQL);
	await client.exec('CHECKPOINT');
	const started = performance.now();
	for (const batch of batches) await approach.pushBatch(batch, payload);
	const ms = performance.now() - started;
	const count = batches.reduce((sum, batch) => sum + batch.rows.length, 0);
	checkVerified(await client.verify(payload), count, `${client.client}, ${approach.name}`);
	return ms;
}

interface Measured {
	module: ClientModule;
	client: ClientUnderTest;
	approach: Approach;
}

/**
 * Each way warmed up once, then the runs taken in turns (every way's first run, then every way's second...):
 * the machine is shared, and a slow minute then spreads over all the ways instead of landing on one.
 */
async function measurePush(
	ways: Measured[],
	batches: PushBatch[],
	payload: PayloadType
): Promise<PushFigure[]> {
	const warmUp = batches.slice(0, WARM_UP_VISITS / LIMITS.maxMutationsPerPush);
	for (const { client, approach } of ways) await timedPush(client, approach, warmUp, payload);
	const figures = ways.map(({ module, approach }) => ({
		client: module.name,
		approach: approach.name,
		payload,
		runsMs: [] as number[]
	}));
	for (let run = 0; run < RUNS; run++) {
		for (const [i, { client, approach }] of ways.entries()) {
			figures[i]?.runsMs.push(await timedPush(client, approach, batches, payload));
		}
		console.log(`  push run ${run + 1} of ${RUNS} done (${payload})`);
	}
	return figures;
}

interface ReadFigure {
	client: string;
	pointMs: number;
	rangeMs: number;
}

/** Over the 10,000 visits the last run left: 100 reads by id one after another, and 500 rows by an id range. */
async function measureReads(client: ClientUnderTest, name: string, ids: string[]): Promise<ReadFigure> {
	const sorted = [...ids].sort();
	const points = Array.from(
		{ length: POINT_READS },
		(_, i) => ids[Math.floor((i * ids.length) / POINT_READS)]
	);
	const from = sorted[Math.floor(sorted.length * 0.4)];
	if (from === undefined || points.some((id) => id === undefined)) throw new Error('no visit ids to read');
	const pointMs: number[] = [];
	const rangeMs: number[] = [];
	// The first round warms up (statements prepared, code compiled); it is not counted.
	for (let round = 0; round <= READ_RUNS; round++) {
		let started = performance.now();
		for (const id of points) {
			if (!(await client.readPoint(id as string))) throw new Error('a point read found nothing');
		}
		if (round > 0) pointMs.push(performance.now() - started);
		started = performance.now();
		const rows = await client.readRange(from, RANGE_ROWS);
		if (round > 0) rangeMs.push(performance.now() - started);
		if (rows.length !== RANGE_ROWS) throw new Error(`range read returned ${rows.length} rows`);
	}
	return { client: name, pointMs: median(pointMs), rangeMs: median(rangeMs) };
}

function printTable(title: string, header: string[], rows: string[][], right: number[] = []): void {
	const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
	const line = (row: string[]) =>
		row
			.map((cell, i) => (right.includes(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
			.join(' | ')
			.trimEnd();
	console.log(`\n${title}\n`);
	console.log(line(header));
	console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
	for (const row of rows) console.log(line(row));
}

const perSecond = (ms: number) => `${Math.round((VISITS * 1000) / ms).toLocaleString('en-US')}/s`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const millis = (ms: number) => `${ms.toFixed(1)} ms`;

interface Figures {
	push: PushFigure[];
	reads: ReadFigure[];
	payloads: PushFigure[];
	payloadWay: string;
	probes: { client: string; probe: Probe }[];
}

async function measure(clients: ClientModule[], url: string, admin: Admin): Promise<Figures> {
	const days = serviceDays();
	const batches = pushBatches(generateVisits(VISITS, days), LIMITS.maxMutationsPerPush);
	const opened: { module: ClientModule; client: ClientUnderTest }[] = [];
	try {
		for (const module of clients) opened.push({ module, client: await module.open(url) });
		const setup = opened[0]?.client;
		if (!setup) throw new Error('no client opened');
		await setup.exec(`${schemaSql(PAYLOAD)}${seedSql(days)} CREATE TABLE probe_writes (n int NOT NULL);`);

		const ways = opened.flatMap(({ module, client }) =>
			client.approaches.map((approach) => ({ module, client, approach }))
		);
		const push = await measurePush(ways, batches, PAYLOAD);
		const reads: ReadFigure[] = [];
		for (const { module, client } of opened) {
			reads.push(
				await measureReads(
					client,
					module.name,
					batches.flatMap((batch) => batch.ids)
				)
			);
		}

		// The payload's column type, with the chosen client's fastest insert, on new connections for each
		// table: a statement prepared on a connection refuses to run once the type of a column it returns has
		// changed ("cached plan must not change result type"), in both clients.
		const chosen = clients.find((module) => module.chosen);
		const fastest = push
			.filter((figure) => figure.client === chosen?.name)
			.sort((a, b) => median(a.runsMs) - median(b.runsMs))[0];
		if (!chosen || !fastest) throw new Error('the chosen client was not measured');
		const payloads: PushFigure[] = [];
		for (const payload of ['jsonb', 'json', 'text'] as const) {
			const fresh = await chosen.open(url);
			try {
				const approach = fresh.approaches.find((each) => each.name === fastest.approach);
				if (!approach) throw new Error(`no approach ${fastest.approach}`);
				await fresh.exec(`DROP TABLE visits; ${visitsTableSql(payload)}`);
				payloads.push(
					...(await measurePush([{ module: chosen, client: fresh, approach }], batches, payload))
				);
			} finally {
				await fresh.end();
			}
		}

		const probes: { client: string; probe: Probe }[] = [];
		for (const { module } of opened) {
			if (!module.probes) continue;
			for (const probe of await runProbes(module.probes(url, admin)))
				probes.push({ client: module.name, probe });
			console.log(`  connection loss probed with ${module.name}`);
		}
		return {
			push,
			reads,
			payloads,
			payloadWay: `${fastest.client}, ${fastest.approach}`,
			probes
		};
	} finally {
		for (const { client } of opened) await client.end();
	}
}

function report(clients: ClientModule[], figures: Figures): void {
	const visits = VISITS.toLocaleString('en-US');
	printTable(
		`Push path: ${visits} visits (${PAYLOAD} payload) in transactions of ${LIMITS.maxMutationsPerPush}, each: device row FOR UPDATE, read-ahead, visits, digests, ledger; synchronous_commit on; median of ${RUNS} runs after a warm-up of ${WARM_UP_VISITS.toLocaleString('en-US')}`,
		['client', 'insert', 'records/s', 'runs'],
		[
			...figures.push.map((figure) => [
				figure.client,
				figure.approach,
				perSecond(median(figure.runsMs)),
				figure.runsMs.map(seconds).join(', ')
			]),
			...clients.flatMap((module) =>
				module.missing.map(({ approach, why }) => [module.name, approach, '-', why])
			)
		],
		[2]
	);
	printTable(
		`Reads over the ${visits} visits (${PAYLOAD} payload, parsed by the client), median of ${READ_RUNS} after a warm-up`,
		['client', `${POINT_READS} reads by id, one after another`, `one read of ${RANGE_ROWS} rows by id range`],
		figures.reads.map((figure) => [
			figure.client,
			`${millis(figure.pointMs)} (${((figure.pointMs * 1000) / POINT_READS).toFixed(0)} µs each)`,
			millis(figure.rangeMs)
		]),
		[1, 2]
	);
	printTable(
		`Payload column type, with ${figures.payloadWay}, median of ${RUNS} after a warm-up`,
		['payload', 'records/s', 'runs'],
		figures.payloads.map((figure) => [
			figure.payload,
			perSecond(median(figure.runsMs)),
			figure.runsMs.map(seconds).join(', ')
		]),
		[1]
	);
	printTable(
		'Connection loss: pg_terminate_backend from the server, on a pool of one connection; each case 5 times (1 where the outcome cannot vary)',
		['client', 'case', 'what happened'],
		figures.probes.map(({ client, probe }) => [client, probe.case, probe.outcome])
	);
}

export async function runBench(): Promise<void> {
	const clients = await loadClients();
	const admin = await openNodePostgresAdmin(`${SERVER}/postgres`);
	try {
		const version = await admin.value('SHOW server_version');
		const durability = await admin.value('SHOW synchronous_commit');
		const load = loadavg().map((value) => value.toFixed(2));
		console.log(`PostgreSQL ${version}, synchronous_commit=${durability}; load average ${load.join(', ')}`);
		let figures: Figures | undefined;
		await inNewDatabase(admin, async (url) => {
			figures = await measure(clients, url, admin);
		});
		if (figures) report(clients, figures);
	} finally {
		await admin.end();
	}
}
