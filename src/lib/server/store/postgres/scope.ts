/**
 * Where a PostgreSQL repository runs its queries: on the pool (each query commits alone) or on the connection
 * of a store transaction. A method that writes several statements that must land together (an upsert of many
 * rows, a read then a write) asks for `atomic`: inside a store transaction it simply runs there; outside one it
 * gets a transaction of its own. That is what SQLite's repositories get from nested `db.transaction` calls.
 */
import type { PgConnection, PgDatabase } from './connection';

export interface PgScope extends PgConnection {
	atomic<T>(fn: (connection: PgConnection) => Promise<T>): Promise<T>;
}

/** Queries on the pool; `atomic` opens a transaction. */
export function poolScope(db: PgDatabase): PgScope {
	return { query: (sql, params) => db.query(sql, params), atomic: (fn) => db.transaction(fn) };
}

/** Queries on a store transaction's connection; `atomic` is that transaction already. */
export function transactionScope(connection: PgConnection): PgScope {
	return { query: (sql, params) => connection.query(sql, params), atomic: (fn) => fn(connection) };
}
