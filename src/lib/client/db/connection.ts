/**
 * The app's one connection to its database, created on first use in the browser (never during SSR).
 * Whoever owns the app shell subscribes to `getEscaleDb().onVersionChange(...)` to ask for a reload.
 */
import { EscaleDb } from './schema';

let db: EscaleDb | undefined;

export function getEscaleDb(): EscaleDb {
	db ??= new EscaleDb();
	return db;
}
