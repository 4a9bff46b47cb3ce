/**
 * The app's one connection to its database, created on first use in the browser (never during SSR).
 * The app shell may subscribe to `getEscaleDb().onVersionChange(...)` to ask for a reload (none does yet:
 * see schema.ts).
 */
import { EscaleDb } from './schema';

let db: EscaleDb | undefined;

export function getEscaleDb(): EscaleDb {
	db ??= new EscaleDb();
	return db;
}
