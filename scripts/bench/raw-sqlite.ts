/**
 * The floor to compare the endpoint with: the same visit rows inserted straight into a table shaped like
 * the server's `visits`, with the production PRAGMAs (WAL, synchronous=FULL), one transaction per batch
 * of the protocol's size, so both pay the same number of durable commits.
 */
import Database from 'better-sqlite3';
import type { Visit } from '$lib/domain/visit';
import { LIMITS } from '$lib/sync';

export function insertRaw(file: string, visits: Visit[], deviceId: string): number {
	const db = new Database(file);
	try {
		db.pragma('journal_mode = WAL');
		db.pragma('synchronous = FULL');
		db.pragma('foreign_keys = ON');
		db.exec(`CREATE TABLE visits (
			id TEXT PRIMARY KEY,
			bus_id TEXT NOT NULL,
			service_day_id TEXT NOT NULL,
			device_id TEXT NOT NULL,
			payload TEXT NOT NULL CHECK (json_valid(payload)),
			received_at TEXT NOT NULL
		) STRICT;
		CREATE INDEX visits_bus_day ON visits (bus_id, service_day_id);`);
		const insert = db.prepare('INSERT INTO visits VALUES (?, ?, ?, ?, ?, ?)');
		const insertBatch = db.transaction((batch: Visit[], at: string) => {
			for (const visit of batch) {
				insert.run(visit.id, visit.busId, visit.serviceDayId, deviceId, JSON.stringify(visit), at);
			}
		});
		const started = performance.now();
		for (let from = 0; from < visits.length; from += LIMITS.maxMutationsPerPush) {
			insertBatch(visits.slice(from, from + LIMITS.maxMutationsPerPush), new Date().toISOString());
		}
		return performance.now() - started;
	} finally {
		db.close();
	}
}
