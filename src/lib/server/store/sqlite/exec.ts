import type { SqliteDatabase } from './connection';

/**
 * Runs one synchronous piece of database work for a repository and hands back a promise. The store
 * decides when it may run (after the open transaction, or inside it), which keeps repositories ignorant
 * of transactions.
 */
export type Exec = <T>(work: (db: SqliteDatabase) => T) => Promise<T>;

/** Clock for `updated_at` and friends: injected so tests can pin it. */
export type Now = () => string;
