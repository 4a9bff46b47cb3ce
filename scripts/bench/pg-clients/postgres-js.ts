/**
 * The push path and the reads written with postgres.js (`postgres`), each insert its own way: one INSERT
 * per row (the queries of a transaction are pipelined on its connection), the `sql(rows)` helper's
 * multi-row INSERT, one INSERT from unnest() of arrays, and COPY FROM STDIN inside the transaction.
 * postgres.js prepares every statement on first use, per connection, by default.
 *
 * postgres.js is not a dependency (docs/adr/0002-postgresql-client.md chose pg): it is loaded at run time
 * when installed (`npm install --no-save postgres`), and the part of its API used here is declared below.
 *
 * The JSON text is cast to text before its column type: given a string where the statement expects json or
 * jsonb, postgres.js serialises it again (JSON.stringify) and stores a JSON string, not the object (the
 * run's check catches it). Its insert helper is given the visit object instead.
 */
import net from 'node:net';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { attempt, PROBE_CASES, REPEAT, sleep, type Admin, type ProbeCase } from './probes';
import {
	checkLedger,
	copyText,
	DEVICE_ID,
	verifySql,
	type Approach,
	type ClientUnderTest,
	type PayloadType,
	type PushBatch
} from './workload';

type Row = Record<string, unknown>;

/** A statement: lazy (sent when awaited or executed), a promise of its rows. */
interface Query<T = Row> extends Promise<T[]> {
	simple(): Query<T>;
	execute(): Query<T>;
	writable(): Promise<Writable>;
}

/** The part of postgres.js's `Sql` (and of a transaction's) that the bench uses. */
interface Sql {
	<T = Row>(template: TemplateStringsArray, ...values: unknown[]): Query<T>;
	/** The insert helper: `INSERT INTO t ${sql(rows)}`. */
	(rows: readonly Row[]): unknown;
	array(values: readonly unknown[]): unknown;
	unsafe<T = Row>(text: string): Query<T>;
	json(value: unknown): unknown;
	begin<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
	end(options?: { timeout?: number }): Promise<void>;
}

export type Connect = (url: string, options: Record<string, unknown>) => Sql;

/** postgres.js's default export, or null when the package is not installed. */
export async function loadPostgresJs(): Promise<Connect | null> {
	// A specifier in a variable: the bundler leaves the import to run time instead of resolving it.
	const specifier = 'postgres';
	try {
		return ((await import(/* @vite-ignore */ specifier)) as { default: Connect }).default;
	} catch (error) {
		const { code, message } = error as { code?: unknown; message?: unknown };
		if (code === 'ERR_MODULE_NOT_FOUND' && String(message).includes(`'${specifier}'`)) return null;
		throw error;
	}
}

/** What every approach does around its inserts: the ledger row locked, the read-ahead, the ledger moved. */
async function pushWith(sql: Sql, batch: PushBatch, insert: (tx: Sql) => Promise<void>): Promise<void> {
	await sql.begin(async (tx) => {
		const [device] = await tx<{ last_mutation_id: string }>`
			SELECT last_mutation_id FROM devices WHERE id = ${DEVICE_ID} FOR UPDATE`;
		checkLedger(device?.last_mutation_id, batch);
		const known = await tx`SELECT id, payload FROM visits WHERE id = ANY(${tx.array(batch.ids)}::text[])`;
		if (known.length !== 0) throw new Error(`${known.length} visits of the batch already stored`);
		await insert(tx);
		await tx`UPDATE devices SET last_mutation_id = ${batch.ledgerAfter}, last_seen_at = ${batch.receivedAt}
			WHERE id = ${DEVICE_ID}`;
	});
}

function rowByRow(sql: Sql): Approach['pushBatch'] {
	return (batch, payload) =>
		pushWith(sql, batch, async (tx) => {
			const cast = tx.unsafe(payload);
			await Promise.all(
				batch.rows.flatMap((row) => [
					tx`INSERT INTO visits (id, bus_id, service_day_id, device_id, payload, received_at)
						VALUES (${row.id}, ${row.busId}, ${row.serviceDayId}, ${DEVICE_ID}, ${row.json}::text::${cast},
							${batch.receivedAt})`,
					tx`INSERT INTO mutation_digests (device_id, mutation_id, digest)
						VALUES (${DEVICE_ID}, ${row.mutationId}, ${row.digest})`
				])
			);
		});
}

function multiRow(sql: Sql): Approach['pushBatch'] {
	return (batch, payload) =>
		pushWith(sql, batch, async (tx) => {
			// The helper takes plain values (its own types refuse a fragment with a cast): a json or jsonb
			// column is given the visit object, which postgres.js serialises itself.
			const visits = batch.rows.map((row) => ({
				id: row.id,
				bus_id: row.busId,
				service_day_id: row.serviceDayId,
				device_id: DEVICE_ID,
				payload: payload === 'text' ? row.json : tx.json(row.visit),
				received_at: batch.receivedAt
			}));
			await tx`INSERT INTO visits ${tx(visits)}`;
			const digests = batch.rows.map((row) => ({
				device_id: DEVICE_ID,
				mutation_id: row.mutationId,
				digest: row.digest
			}));
			await tx`INSERT INTO mutation_digests ${tx(digests)}`;
		});
}

function unnest(sql: Sql): Approach['pushBatch'] {
	return (batch, payload) =>
		pushWith(sql, batch, async (tx) => {
			const cast = tx.unsafe(payload);
			await tx`INSERT INTO visits (id, bus_id, service_day_id, device_id, payload, received_at)
				SELECT id, bus_id, day, ${DEVICE_ID}, payload::${cast}, ${batch.receivedAt}
				FROM unnest(
					${tx.array(batch.ids)}::text[],
					${tx.array(batch.rows.map((row) => row.busId))}::text[],
					${tx.array(batch.rows.map((row) => row.serviceDayId))}::text[],
					${tx.array(batch.rows.map((row) => row.json))}::text[]
				) AS t (id, bus_id, day, payload)`;
			await tx`INSERT INTO mutation_digests (device_id, mutation_id, digest)
				SELECT ${DEVICE_ID}, mutation_id, digest FROM unnest(
					${tx.array(batch.rows.map((row) => row.mutationId))}::bigint[],
					${tx.array(batch.rows.map((row) => row.digest))}::bytea[]
				) AS t (mutation_id, digest)`;
		});
}

/** COPY's text format: one line per row, tab-separated; a bytea is its hex form, its backslash escaped. */
function copy(sql: Sql): Approach['pushBatch'] {
	return (batch) =>
		pushWith(sql, batch, async (tx) => {
			const visits = batch.rows
				.map(
					(row) =>
						[row.id, row.busId, row.serviceDayId, DEVICE_ID, row.json, batch.receivedAt]
							.map(copyText)
							.join('\t') + '\n'
				)
				.join('');
			await pipeline(
				Readable.from([visits]),
				await tx`COPY visits (id, bus_id, service_day_id, device_id, payload, received_at) FROM STDIN`.writable()
			);
			const digests = batch.rows
				.map((row) => `${DEVICE_ID}\t${row.mutationId}\t\\\\x${row.digest.toString('hex')}\n`)
				.join('');
			await pipeline(
				Readable.from([digests]),
				await tx`COPY mutation_digests (device_id, mutation_id, digest) FROM STDIN`.writable()
			);
		});
}

/**
 * postgres.js opens its sockets with Nagle's algorithm on (pg turns it off). A small message written after
 * a larger one then waits for the server's acknowledgement, which Linux delays by up to 40 ms: COPY's
 * CopyDone waits so, every time. Its `socket` option (missing from its types) takes a connected socket of
 * ours, here with TCP_NODELAY.
 */
function connectWithNoDelay(options: { host: string[]; port: number[] }): Promise<net.Socket> {
	return new Promise((resolve, reject) => {
		const socket = net.connect({ host: options.host[0], port: options.port[0] ?? 5432, noDelay: true });
		socket.once('connect', () => resolve(socket));
		socket.once('error', reject);
	});
}

/**
 * One pool. `tuned` adds what its defaults lack for this work: TCP_NODELAY, and a pipeline of 1,000
 * statements instead of 100 (one batch's visits and digests; `max_pipeline`, also missing from its types).
 */
function open(connect: Connect, url: string, options: { max?: number; tuned?: boolean } = {}): Sql {
	const { tuned = false, ...rest } = options;
	return connect(url, {
		...rest,
		// The bench's TRUNCATE and DROP send notices; they are not figures.
		onnotice: () => {},
		...(tuned ? { socket: connectWithNoDelay, max_pipeline: 1_000 } : {})
	});
}

export async function openPostgresJs(
	connect: Connect,
	url: string,
	tuned: boolean
): Promise<ClientUnderTest> {
	const sql = open(connect, url, { tuned });
	return {
		client: 'postgres',
		approaches: [
			{ name: 'one INSERT per row, pipelined', pushBatch: rowByRow(sql) },
			{ name: 'multi-row INSERT, parameters', pushBatch: multiRow(sql) },
			{ name: 'INSERT from unnest(arrays)', pushBatch: unnest(sql) },
			{ name: 'COPY FROM STDIN', pushBatch: copy(sql) }
		],
		async exec(text) {
			await sql.unsafe(text).simple();
		},
		async verify(payload: PayloadType) {
			const [row] = await sql.unsafe<{ visits: number; digests: number; ledger: number }>(verifySql(payload));
			return row;
		},
		async readPoint(id) {
			const [row] = await sql`SELECT payload FROM visits WHERE id = ${id}`;
			return row;
		},
		async readRange(fromId, limit) {
			return sql`SELECT id, payload FROM visits WHERE id >= ${fromId} ORDER BY id LIMIT ${limit}`;
		},
		async end() {
			await sql.end();
		}
	};
}

async function backendPid(sql: Sql): Promise<number> {
	const [row] = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`;
	if (row === undefined) throw new Error('no backend pid');
	return row.pid;
}

/** The cases of probes.ts, each run on a pool of one connection of its own, with the default settings. */
export function postgresJsProbes(connect: Connect, url: string, admin: Admin): ProbeCase[] {
	const withSql = async (work: (sql: Sql) => Promise<string>) => {
		const sql = open(connect, url, { max: 1 });
		try {
			await sql`DELETE FROM probe_writes`;
			return await work(sql);
		} finally {
			// A statement that never settles would hold end() for ever: one second, then the sockets close.
			await sql.end({ timeout: 1 });
		}
	};
	/** Read through a pool of its own: the probe's may be left unable to connect again. */
	const keptRows = async () => {
		const sql = open(connect, url, { max: 1 });
		try {
			const rows = await sql<{ n: number }>`SELECT n FROM probe_writes ORDER BY n`;
			return rows.map((row) => row.n).join(', ') || 'none';
		} finally {
			await sql.end();
		}
	};
	/**
	 * begin() may settle before its callback has, and the callback goes on with its statements. `queryFirst`:
	 * another request uses the pool before the callback's next statement (a busy server), or not.
	 */
	const inTransaction =
		(kill: (tx: Sql) => Promise<void>, queryFirst = true) =>
		() =>
			withSql(async (sql) => {
				let callback: Promise<unknown> = Promise.resolve();
				let callbackEnded = false;
				const inside = await attempt(() =>
					sql.begin((tx) => {
						callback = kill(tx).finally(() => (callbackEnded = true));
						return callback;
					})
				);
				const early = callbackEnded ? '' : ' while its callback still ran';
				const other = queryFirst ? `; another query ${await attempt(() => sql`SELECT 1`)}` : '';
				const rest = early ? `; the callback then ${await attempt(() => callback)}` : '';
				const next = await attempt(() => sql`SELECT 1`);
				return `transaction ${inside}${early}${other}${rest}; next query ${next}; rows kept: ${await keptRows()}`;
			});
	const killBetweenStatements = async (tx: Sql) => {
		await tx`INSERT INTO probe_writes (n) VALUES (1)`;
		await admin.terminate(await backendPid(tx));
		await sleep(300);
		await tx`INSERT INTO probe_writes (n) VALUES (2)`;
	};
	return [
		{
			name: PROBE_CASES.idle,
			repeat: REPEAT,
			run: () =>
				withSql(async (sql) => {
					await admin.terminate(await backendPid(sql));
					await sleep(300);
					return `next query ${await attempt(() => sql`SELECT 1`)}`;
				})
		},
		{ name: PROBE_CASES.inTransaction, repeat: REPEAT, run: inTransaction(killBetweenStatements) },
		{
			name: PROBE_CASES.inTransactionAlone,
			repeat: REPEAT,
			run: inTransaction(killBetweenStatements, false)
		},
		{
			name: PROBE_CASES.duringQuery,
			repeat: REPEAT,
			run: inTransaction(async (tx) => {
				await tx`INSERT INTO probe_writes (n) VALUES (1)`;
				const pid = await backendPid(tx);
				// postgres.js sends a query when it is awaited or executed, not when it is written.
				const slow = tx`SELECT pg_sleep(2)`.execute();
				slow.catch(() => {}); // awaited below; this only keeps Node from calling it unhandled meanwhile
				await sleep(200);
				await admin.terminate(pid);
				await slow;
				await tx`INSERT INTO probe_writes (n) VALUES (2)`;
			})
		},
		{
			name: PROBE_CASES.unreachable,
			repeat: 1,
			run: async () => {
				const sql = connect('postgres://postgres@127.0.0.1:1/postgres', { max: 1, connect_timeout: 5 });
				const started = performance.now();
				const outcome = await attempt(() => sql`SELECT 1`);
				await sql.end();
				return `query ${outcome} in ${Math.round(performance.now() - started)} ms`;
			}
		}
	];
}
