/**
 * Test support for the open data (not a test file itself): the demo seeded into an in-memory store on a
 * fixed day, a tiny RFC 4180 reader, and the columns of the tables that must never reach the open data.
 */
import { seedDemo } from '../demo/seed';
import { latestSchemaVersion } from '../store/sqlite/migrations';
import { openTestDatabase, openTestStore } from '$factories/store';
import type { Store } from '../store/store';

export const TODAY = '2026-11-27';
export const NOW = new Date('2026-11-27T09:00:00.000Z');
export const now = () => NOW;
export const ORIGIN = 'https://escale.example';

/** Seeds the demo around TODAY: the seed of the open data specs' stores. */
export const seedDemoAtToday = (store: Store) => seedDemo(store, TODAY);

export function seededStore(): Promise<Store> {
	return openTestStore({ seed: seedDemoAtToday });
}

export function openUrl(path: string): URL {
	return new URL(path, ORIGIN);
}

/** The schedule's own tables: what the open data may show. */
const PUBLIC_TABLES = new Set(['buses', 'stops', 'circuits', 'service_days', 'meta', 'schema_migrations']);

/**
 * Every column of every other table (devices, visits, referrals, reports, change log, coordinators... and
 * whatever a later migration adds), minus the names the schedule tables also use (`id`, `status`...).
 */
export function privateColumns(): Set<string> {
	const db = openTestDatabase({ version: latestSchemaVersion });
	try {
		const tables = (
			db
				.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
				.all() as Array<{
				name: string;
			}>
		).map((row) => row.name);
		const columnsOf = (table: string) =>
			(db.prepare(`PRAGMA table_info(${JSON.stringify(table)})`).all() as Array<{ name: string }>).map(
				(column) => column.name
			);
		const publicColumns = new Set(tables.filter((t) => PUBLIC_TABLES.has(t)).flatMap(columnsOf));
		return new Set(
			tables
				.filter((t) => !PUBLIC_TABLES.has(t))
				.flatMap(columnsOf)
				.filter((column) => !publicColumns.has(column))
		);
	} finally {
		db.close();
	}
}

/** `deviceId` -> `device_id`, to compare JSON keys with column names. */
export function snakeCase(key: string): string {
	return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** Every key of every object in a JSON value. */
export function jsonKeys(value: unknown, keys = new Set<string>()): Set<string> {
	if (Array.isArray(value)) for (const item of value) jsonKeys(item, keys);
	else if (value !== null && typeof value === 'object') {
		for (const [key, inner] of Object.entries(value)) {
			keys.add(key);
			jsonKeys(inner, keys);
		}
	}
	return keys;
}

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes. Throws on anything else. */
export function readCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let index = 0;
	while (index < text.length) {
		const char = text[index];
		if (char === '"' && field === '') {
			index++;
			for (;;) {
				if (index >= text.length) throw new Error('unterminated quoted field');
				if (text[index] === '"') {
					if (text[index + 1] === '"') {
						field += '"';
						index += 2;
						continue;
					}
					index++;
					break;
				}
				field += text[index];
				index++;
			}
			if (index < text.length && text[index] !== ',' && text[index] !== '\r') {
				throw new Error(`text after a closing quote at ${index}`);
			}
			continue;
		}
		if (char === ',') {
			row.push(field);
			field = '';
			index++;
		} else if (char === '\r') {
			if (text[index + 1] !== '\n') throw new Error(`bare CR at ${index}`);
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			index += 2;
		} else if (char === '\n' || char === '"') {
			throw new Error(`unquoted ${JSON.stringify(char)} at ${index}`);
		} else {
			field += char;
			index++;
		}
	}
	if (field !== '' || row.length > 0) throw new Error('last record without CRLF');
	return rows;
}
