/**
 * The PostgreSQL connection pool (node-postgres), behind the two operations the adapter needs: a query, and a
 * transaction on one connection. Only the PostgreSQL adapter imports this: nothing outside
 * src/lib/server/store/postgres sees a driver type.
 *
 * Values come back as the app wrote them: `json` columns as their text (the sync compares stored JSON text),
 * `bigint` as numbers (ids and ledger positions stay far below 2^53).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

export interface PgConnection {
	query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface PgDatabase extends PgConnection {
	/** Runs `fn` in one transaction on one connection: COMMIT when it resolves, ROLLBACK when it throws. */
	transaction<T>(fn: (connection: PgConnection) => Promise<T>): Promise<T>;
	/**
	 * Runs `fn` holding the session advisory lock `key` on a connection of its own (released after, even when
	 * `fn` throws): other processes asking for the same key wait. `fn` queries the pool as usual.
	 */
	exclusive<T>(key: number, fn: () => Promise<T>): Promise<T>;
	/** Runs `fn` with every connection it asks for handed out after those other work waits for (Checkouts). */
	lowPriority<T>(fn: () => Promise<T>): Promise<T>;
	close(): Promise<void>;
}

const JSON_OID = 114;
const INT8_OID = 20;

/** Types read as the SQLite adapter reads them. */
const types = new pg.TypeOverrides();
types.setTypeParser(JSON_OID, (text: string) => text);
types.setTypeParser(INT8_OID, (text: string) => Number(text));

/** How long a request waits for a pooled connection before failing (503 rather than hanging). */
const CONNECT_TIMEOUT_MS = 10_000;

/** A dropped idle connection: the pool replaces it; as an event it is only noise to drop. */
const ignore = () => undefined;

/** The work running in `lowPriority` (its async context): its connections come after everyone else's. */
const lowPriority = new AsyncLocalStorage<true>();

interface Waiter {
	resolve(): void;
	timer: NodeJS.Timeout;
}

/**
 * The pool's connections, handed out in two queues: a connection set free goes to the work that waits for one,
 * the low-priority work (a tablet's sync) last. pg.Pool queues in arrival order: 200 tablets arriving at once
 * put 200 device reads ahead of a resident's page, whose few queries each waited behind them (bench:load).
 * There are as many checkouts as the pool has connections, so the pool itself never queues.
 */
class Checkouts {
	#free: number;
	readonly #first: Waiter[] = [];
	readonly #last: Waiter[] = [];

	constructor(size: number) {
		this.#free = size;
	}

	/** Waits for a connection of the pool to be free for this work, at most `timeoutMs`. */
	take(timeoutMs: number): Promise<void> {
		if (this.#free > 0) {
			this.#free--;
			return Promise.resolve();
		}
		const queue = lowPriority.getStore() ? this.#last : this.#first;
		return new Promise<void>((resolve, reject) => {
			const waiter: Waiter = {
				resolve,
				timer: setTimeout(() => {
					queue.splice(queue.indexOf(waiter), 1);
					// pg.Pool's words for the same wait (connectionTimeoutMillis).
					reject(new Error('timeout exceeded when trying to connect'));
				}, timeoutMs)
			};
			queue.push(waiter);
		});
	}

	/** A connection is free again: to the first waiter of the first queue, else back to the count. */
	give(): void {
		const next = this.#first.shift() ?? this.#last.shift();
		if (!next) {
			this.#free++;
			return;
		}
		clearTimeout(next.timer);
		next.resolve();
	}
}

export function openPgDatabase(
	url: string,
	options: { max?: number; connectTimeoutMs?: number } = {}
): PgDatabase {
	const max = options.max ?? 10;
	const connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
	const pool = new pg.Pool({
		connectionString: url,
		max,
		connectionTimeoutMillis: connectTimeoutMs,
		types
	});
	// An idle connection the server dropped (a restart, a failover) must not bring the process down.
	pool.on('error', ignore);
	const checkouts = new Checkouts(max);
	const on = (client: pg.PoolClient): PgConnection => ({
		query: async <R extends object>(sql: string, params?: readonly unknown[]) =>
			(await client.query<R>(sql, params as unknown[] | undefined)).rows
	});
	/**
	 * Runs `fn` on a connection of the pool, handed out in its turn (Checkouts). Without a listener on the client
	 * while it is checked out, its 'error' event (a connection dropped) ends the process (docs/adr/0002-postgresql-
	 * client.md): a query on it fails, and `fn` with it. A connection that failed is closed, not handed on.
	 */
	async function withClient<T>(fn: (client: pg.PoolClient, broke: () => void) => Promise<T>): Promise<T> {
		await checkouts.take(connectTimeoutMs);
		let client: pg.PoolClient;
		try {
			client = await pool.connect();
		} catch (error) {
			checkouts.give();
			throw error;
		}
		let broken = false;
		const broke = () => (broken = true);
		client.on('error', broke);
		try {
			return await fn(client, broke);
		} finally {
			client.off('error', broke);
			client.release(broken);
			checkouts.give();
		}
	}
	return {
		query: <R extends object>(sql: string, params?: readonly unknown[]) =>
			withClient((client) => on(client).query<R>(sql, params)),
		transaction: <T>(fn: (connection: PgConnection) => Promise<T>): Promise<T> =>
			withClient(async (client, broke) => {
				try {
					await client.query('BEGIN');
					const result = await fn(on(client));
					await client.query('COMMIT');
					return result;
				} catch (error) {
					await client.query('ROLLBACK').catch(broke);
					throw error;
				}
			}),
		exclusive: <T>(key: number, fn: () => Promise<T>): Promise<T> =>
			withClient(async (client, broke) => {
				await client.query('SELECT pg_advisory_lock($1)', [key]);
				try {
					return await fn();
				} finally {
					// A connection closed with its lock releases it: a broken one is never handed on still holding it.
					await client.query('SELECT pg_advisory_unlock($1)', [key]).catch(broke);
				}
			}),
		lowPriority: <T>(fn: () => Promise<T>): Promise<T> => lowPriority.run(true, fn),
		close: () => pool.end()
	};
}
