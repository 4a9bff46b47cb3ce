/**
 * Opens an SQLite database with the settings Escale's durability promise rests on. Only the SQLite
 * adapter imports this: nothing outside src/lib/server/store/sqlite sees a better-sqlite3 type.
 */
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/** How long a writer waits for another process's lock before failing (a backup, a second server). */
const BUSY_TIMEOUT_MS = 5000;

export function openDatabase(file: string): SqliteDatabase {
	const db = new Database(file);
	try {
		// WAL lets readers (public pages) run while a writer commits; an in-memory database stays `memory`.
		db.pragma('journal_mode = WAL');
		// FULL syncs the WAL on every commit: an acknowledged write survives a power cut, which the sync
		// protocol relies on (the server acknowledges only durable commits).
		db.pragma('synchronous = FULL');
		db.pragma('foreign_keys = ON');
		db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
	} catch (error) {
		db.close();
		throw error;
	}
	return db;
}

export function readJournalMode(db: SqliteDatabase): string {
	return String(db.pragma('journal_mode', { simple: true }));
}

/** Caches prepared statements per connection: preparing is the costly part of a small query. */
const statements = new WeakMap<SqliteDatabase, Map<string, Database.Statement>>();

export function prepared(db: SqliteDatabase, sql: string): Database.Statement {
	let cache = statements.get(db);
	if (!cache) {
		cache = new Map();
		statements.set(db, cache);
	}
	let statement = cache.get(sql);
	if (!statement) {
		statement = db.prepare(sql);
		cache.set(sql, statement);
	}
	return statement;
}
