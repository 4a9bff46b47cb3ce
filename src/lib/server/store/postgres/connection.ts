/**
 * The PostgreSQL connection pool (node-postgres), behind the two operations the adapter needs: a query, and a
 * transaction on one connection. Only the PostgreSQL adapter imports this: nothing outside
 * src/lib/server/store/postgres sees a driver type.
 *
 * Values come back as the app wrote them: `json` columns as their text (the sync compares stored JSON text),
 * `bigint` as numbers (ids and ledger positions stay far below 2^53).
 */
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

export function openPgDatabase(url: string, options: { max?: number } = {}): PgDatabase {
	const pool = new pg.Pool({
		connectionString: url,
		max: options.max ?? 10,
		connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
		types
	});
	// An idle connection the server dropped (a restart, a failover) must not bring the process down.
	pool.on('error', ignore);
	const on = (client: pg.PoolClient | pg.Pool): PgConnection => ({
		query: async <R extends object>(sql: string, params?: readonly unknown[]) =>
			(await client.query<R>(sql, params as unknown[] | undefined)).rows
	});
	return {
		...on(pool),
		async transaction<T>(fn: (connection: PgConnection) => Promise<T>): Promise<T> {
			const client = await pool.connect();
			// Nor one dropped while checked out: without a listener on the client, its 'error' event ends the
			// process (docs/adr/0002-postgresql-client.md); the query on it fails, and the transaction with it.
			let broken = false;
			const onError = () => (broken = true);
			client.on('error', onError);
			try {
				await client.query('BEGIN');
				const result = await fn(on(client));
				await client.query('COMMIT');
				return result;
			} catch (error) {
				await client.query('ROLLBACK').catch(() => (broken = true));
				throw error;
			} finally {
				client.off('error', onError);
				// A connection that failed is closed, not handed to the next request.
				client.release(broken);
			}
		},
		async exclusive<T>(key: number, fn: () => Promise<T>): Promise<T> {
			const client = await pool.connect();
			let broken = false;
			const onError = () => (broken = true);
			client.on('error', onError);
			try {
				await client.query('SELECT pg_advisory_lock($1)', [key]);
				try {
					return await fn();
				} finally {
					await client.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => (broken = true));
				}
			} finally {
				client.off('error', onError);
				// A connection closed with its lock releases it: a broken one is never handed on still holding it.
				client.release(broken);
			}
		},
		close: () => pool.end()
	};
}
