/**
 * The push path and the reads written with node-postgres (`pg`), each insert its own way: one INSERT per
 * row (awaited one by one, then pipelined with the client's `pipeline` option), one multi-row INSERT with
 * parameters, and one INSERT from unnest() of arrays. COPY is not offered: pg itself has no COPY FROM STDIN,
 * it takes the separate pg-copy-streams package. Statements have names, so each is parsed once per
 * connection, as an adapter would do. The transaction helper and the error listeners are the ones the
 * adapter will need (docs/adr/0002-postgresql-client.md).
 */
import pg from 'pg';
import {
	checkLedger,
	DEVICE_ID,
	type Approach,
	type ClientUnderTest,
	type PayloadType,
	type PushBatch,
	verifySql
} from './workload';
import { attempt, PROBE_CASES, REPEAT, sleep, type Admin, type ProbeCase } from './probes';

type Queryable = pg.PoolClient;

/**
 * pg has no transaction helper: BEGIN, COMMIT and ROLLBACK are queries on a client checked out of the pool,
 * and the client must go back to it whatever happens. A client whose ROLLBACK failed is broken: released
 * with the error, the pool closes it instead of lending it again.
 */
async function transaction<T>(pool: pg.Pool, fn: (client: Queryable) => Promise<T>): Promise<T> {
	const client = await pool.connect();
	try {
		await client.query('BEGIN');
		const result = await fn(client);
		await client.query('COMMIT');
		client.release();
		return result;
	} catch (error) {
		await client.query('ROLLBACK').then(
			() => client.release(),
			(rollbackError: Error) => client.release(rollbackError)
		);
		throw error;
	}
}

/** What every approach does around its inserts: the ledger row locked, the read-ahead, the ledger moved. */
async function pushWith(
	pool: pg.Pool,
	batch: PushBatch,
	insert: (client: Queryable) => Promise<void>
): Promise<void> {
	await transaction(pool, async (client) => {
		const device = await client.query<{ last_mutation_id: string }>({
			name: 'device-for-update',
			text: 'SELECT last_mutation_id FROM devices WHERE id = $1 FOR UPDATE',
			values: [DEVICE_ID]
		});
		checkLedger(device.rows[0]?.last_mutation_id, batch);
		const known = await client.query({
			name: 'visits-read-ahead',
			text: 'SELECT id, payload FROM visits WHERE id = ANY($1::text[])',
			values: [batch.ids]
		});
		if (known.rowCount !== 0) throw new Error(`${known.rowCount} visits of the batch already stored`);
		await insert(client);
		await client.query({
			name: 'device-ledger',
			text: 'UPDATE devices SET last_mutation_id = $2, last_seen_at = $3 WHERE id = $1',
			values: [DEVICE_ID, batch.ledgerAfter, batch.receivedAt]
		});
	});
}

function rowByRow(pool: pg.Pool, pipelined: boolean): Approach['pushBatch'] {
	return (batch, payload) =>
		pushWith(pool, batch, async (client) => {
			const statements = (row: PushBatch['rows'][number]) => [
				() =>
					client.query({
						name: `visit-one-${payload}`,
						text: `INSERT INTO visits (id, bus_id, service_day_id, device_id, payload, received_at)
							VALUES ($1, $2, $3, $4, $5::${payload}, $6)`,
						values: [row.id, row.busId, row.serviceDayId, DEVICE_ID, row.json, batch.receivedAt]
					}),
				() =>
					client.query({
						name: 'digest-one',
						text: 'INSERT INTO mutation_digests (device_id, mutation_id, digest) VALUES ($1, $2, $3)',
						values: [DEVICE_ID, row.mutationId, row.digest]
					})
			];
			if (pipelined) {
				await Promise.all(batch.rows.flatMap(statements).map((run) => run()));
			} else {
				for (const row of batch.rows) for (const run of statements(row)) await run();
			}
		});
}

function placeholders(rows: number, columns: number, cast: (column: number) => string = () => ''): string {
	return Array.from(
		{ length: rows },
		(_, row) =>
			`(${Array.from({ length: columns }, (_, column) => `$${row * columns + column + 1}${cast(column)}`).join(', ')})`
	).join(', ');
}

function multiRow(pool: pg.Pool): Approach['pushBatch'] {
	return (batch, payload) =>
		pushWith(pool, batch, async (client) => {
			const count = batch.rows.length;
			await client.query({
				name: `visits-values-${payload}-${count}`,
				text: `INSERT INTO visits (id, bus_id, service_day_id, device_id, payload, received_at)
					VALUES ${placeholders(count, 6, (column) => (column === 4 ? `::${payload}` : ''))}`,
				values: batch.rows.flatMap((row) => [
					row.id,
					row.busId,
					row.serviceDayId,
					DEVICE_ID,
					row.json,
					batch.receivedAt
				])
			});
			await client.query({
				name: `digests-values-${count}`,
				text: `INSERT INTO mutation_digests (device_id, mutation_id, digest) VALUES ${placeholders(count, 3)}`,
				values: batch.rows.flatMap((row) => [DEVICE_ID, row.mutationId, row.digest])
			});
		});
}

function unnest(pool: pg.Pool): Approach['pushBatch'] {
	return (batch, payload) =>
		pushWith(pool, batch, async (client) => {
			await client.query({
				name: `visits-unnest-${payload}`,
				text: `INSERT INTO visits (id, bus_id, service_day_id, device_id, payload, received_at)
					SELECT id, bus_id, day, $5, payload::${payload}, $6
					FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t (id, bus_id, day, payload)`,
				values: [
					batch.ids,
					batch.rows.map((row) => row.busId),
					batch.rows.map((row) => row.serviceDayId),
					batch.rows.map((row) => row.json),
					DEVICE_ID,
					batch.receivedAt
				]
			});
			await client.query({
				name: 'digests-unnest',
				text: `INSERT INTO mutation_digests (device_id, mutation_id, digest)
					SELECT $1, mutation_id, digest FROM unnest($2::bigint[], $3::bytea[]) AS t (mutation_id, digest)`,
				values: [DEVICE_ID, batch.rows.map((row) => row.mutationId), batch.rows.map((row) => row.digest)]
			});
		});
}

/**
 * The listeners a pg pool needs before anything else. A connection the server drops is reported as an
 * 'error' event on its client; the pool forwards an idle client's to itself, but not a checked-out one's
 * (a transaction holds its client between statements). An 'error' event with no listener ends the
 * process. The client's next query fails anyway and the pool discards it once released: noting is enough.
 */
export function listenForConnectionErrors(pool: pg.Pool, note: (error: Error) => void = () => {}): pg.Pool {
	pool.on('error', note);
	pool.on('connect', (client) => client.on('error', note));
	return pool;
}

export async function openNodePostgres(connectionString: string): Promise<ClientUnderTest> {
	// Two pools: `pipeline` is an option of the connection, fixed when it opens.
	const pool = listenForConnectionErrors(new pg.Pool({ connectionString }));
	const pipelinedPool = listenForConnectionErrors(new pg.Pool({ connectionString, pipeline: true }));
	return {
		client: 'pg',
		approaches: [
			{ name: 'one INSERT per row, awaited', pushBatch: rowByRow(pool, false) },
			{ name: 'one INSERT per row, pipelined', pushBatch: rowByRow(pipelinedPool, true) },
			{ name: 'multi-row INSERT, parameters', pushBatch: multiRow(pool) },
			{ name: 'INSERT from unnest(arrays)', pushBatch: unnest(pool) }
		],
		async exec(sql) {
			await pool.query(sql);
		},
		async verify(payload: PayloadType) {
			const result = await pool.query<{ visits: number; digests: number; ledger: number }>(
				verifySql(payload)
			);
			return result.rows[0];
		},
		async readPoint(id) {
			const result = await pool.query({
				name: 'visit-by-id',
				text: 'SELECT payload FROM visits WHERE id = $1',
				values: [id]
			});
			return result.rows[0];
		},
		async readRange(fromId, limit) {
			const result = await pool.query({
				name: 'visits-from-id',
				text: 'SELECT id, payload FROM visits WHERE id >= $1 ORDER BY id LIMIT $2',
				values: [fromId, limit]
			});
			return result.rows;
		},
		async end() {
			await Promise.all([pool.end(), pipelinedPool.end()]);
		}
	};
}

export async function openNodePostgresAdmin(connectionString: string): Promise<Admin> {
	const client = new pg.Client({ connectionString });
	client.on('error', () => {});
	await client.connect();
	return {
		async exec(sql) {
			await client.query(sql);
		},
		async value(sql) {
			const result = await client.query({ text: sql, rowMode: 'array' });
			return String(result.rows[0]?.[0]);
		},
		async terminate(pid) {
			await client.query('SELECT pg_terminate_backend($1, 5000)', [pid]);
		},
		async end() {
			await client.end();
		}
	};
}

async function backendPid(client: pg.Pool | pg.PoolClient): Promise<number> {
	const result = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
	const pid = result.rows[0]?.pid;
	if (pid === undefined) throw new Error('no backend pid');
	return pid;
}

/** The cases of probes.ts, each run on a pool of one connection of its own, set up as the adapter would. */
export function nodePostgresProbes(connectionString: string, admin: Admin): ProbeCase[] {
	const withPool = async (listeners: boolean, work: (pool: pg.Pool) => Promise<string>) => {
		const pool = new pg.Pool({ connectionString, max: 1 });
		if (listeners) listenForConnectionErrors(pool);
		try {
			return await work(pool);
		} finally {
			await pool.end();
		}
	};
	const idle = (listeners: boolean) => () =>
		withPool(listeners, async (pool) => {
			await admin.terminate(await backendPid(pool));
			await sleep(300);
			return `next query ${await attempt(() => pool.query('SELECT 1'))}`;
		});
	const inTransaction = (kill: (client: pg.PoolClient) => Promise<void>) => () =>
		withPool(true, async (pool) => {
			await pool.query('DELETE FROM probe_writes');
			const inside = await attempt(() => transaction(pool, kill));
			const next = await attempt(() => pool.query('SELECT 1'));
			const kept = await pool.query<{ n: number }>('SELECT n FROM probe_writes ORDER BY n');
			return `transaction ${inside}; next query ${next}; rows kept: ${kept.rows.map((row) => row.n).join(', ') || 'none'}`;
		});
	return [
		{ name: PROBE_CASES.idleBare, repeat: 1, run: idle(false) },
		{ name: PROBE_CASES.idle, repeat: REPEAT, run: idle(true) },
		{
			name: PROBE_CASES.inTransaction,
			repeat: REPEAT,
			run: inTransaction(async (client) => {
				await client.query('INSERT INTO probe_writes (n) VALUES (1)');
				await admin.terminate(await backendPid(client));
				await sleep(300);
				await client.query('INSERT INTO probe_writes (n) VALUES (2)');
			})
		},
		{
			name: PROBE_CASES.duringQuery,
			repeat: REPEAT,
			run: inTransaction(async (client) => {
				await client.query('INSERT INTO probe_writes (n) VALUES (1)');
				const pid = await backendPid(client);
				const slow = client.query('SELECT pg_sleep(2)');
				slow.catch(() => {}); // awaited below; this only keeps Node from calling it unhandled meanwhile
				await sleep(200);
				await admin.terminate(pid);
				await slow;
				await client.query('INSERT INTO probe_writes (n) VALUES (2)');
			})
		},
		{
			name: PROBE_CASES.unreachable,
			repeat: 1,
			run: async () => {
				const pool = new pg.Pool({
					host: '127.0.0.1',
					port: 1,
					user: 'postgres',
					connectionTimeoutMillis: 5000
				});
				listenForConnectionErrors(pool);
				const started = performance.now();
				const outcome = await attempt(() => pool.query('SELECT 1'));
				await pool.end();
				return `query ${outcome} in ${Math.round(performance.now() - started)} ms`;
			}
		}
	];
}
