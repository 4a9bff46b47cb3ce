/**
 * Picks the store implementation from the configuration. Callers get a `Store` and never learn which
 * engine is behind it; the PostgreSQL adapter of a later issue plugs in here.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseConfig } from '../config';
import { openSqliteStore } from './sqlite/sqlite-store';
import type { Store } from './store';

export async function openStore(database: DatabaseConfig): Promise<Store> {
	if (database.file !== ':memory:') mkdirSync(dirname(database.file), { recursive: true });
	return openSqliteStore({ file: database.file });
}
