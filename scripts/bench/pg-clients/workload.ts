/**
 * What `npm run bench:pg-clients` asks of each PostgreSQL client, whatever the client: the tables of the push
 * path shaped like the SQLite ones (migrations 002 and 004), the batches of a push, and the checks that a run
 * stored what it was given. Each client module (node-postgres.ts, postgres-js.ts) writes the same batches its
 * own ways; this module holds what they share so that they do the same work.
 */
import { createHash } from 'node:crypto';
import type { ServiceDay } from '$lib/domain/schedule';
import type { Visit } from '$lib/domain/visit';
import { BUS_ID } from '../fixtures';

export const DEVICE_ID = 'banc-pg-device';

/**
 * How the visit's JSON is stored. json is the main figures' type (docs/adr/0002-postgresql-client.md says
 * why): validated on the way in like SQLite's json_valid CHECK, and kept as sent, which the push's replay
 * check compares with; jsonb and text are timed beside it.
 */
export type PayloadType = 'jsonb' | 'json' | 'text';

/** The tables of the push path. Foreign keys as in SQLite, so that each inserted row pays their checks. */
export function schemaSql(payload: PayloadType): string {
	return `
CREATE TABLE buses (id text PRIMARY KEY);
CREATE TABLE service_days (id text PRIMARY KEY, bus_id text NOT NULL REFERENCES buses (id));
CREATE TABLE devices (
	id text PRIMARY KEY,
	bus_id text NOT NULL REFERENCES buses (id),
	secret_hash text NOT NULL,
	app_version text NOT NULL,
	created_at timestamptz NOT NULL,
	revoked_at timestamptz,
	last_mutation_id bigint NOT NULL DEFAULT 0 CHECK (last_mutation_id >= 0),
	last_seen_at timestamptz
);
${visitsTableSql(payload)}
CREATE TABLE mutation_digests (
	device_id text NOT NULL REFERENCES devices (id),
	mutation_id bigint NOT NULL CHECK (mutation_id >= 1),
	digest bytea NOT NULL CHECK (octet_length(digest) = 32),
	PRIMARY KEY (device_id, mutation_id)
);`;
}

export function visitsTableSql(payload: PayloadType): string {
	return `
CREATE TABLE visits (
	id text PRIMARY KEY,
	bus_id text NOT NULL REFERENCES buses (id),
	service_day_id text NOT NULL REFERENCES service_days (id),
	device_id text NOT NULL REFERENCES devices (id),
	payload ${payload} NOT NULL,
	received_at timestamptz NOT NULL
);
CREATE INDEX visits_bus_day ON visits (bus_id, service_day_id);`;
}

/** The rows the push path's foreign keys point at: one bus, its service days, the pushing device. */
export function seedSql(days: ServiceDay[]): string {
	const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;
	return `
INSERT INTO buses (id) VALUES (${quote(BUS_ID)});
INSERT INTO service_days (id, bus_id) VALUES ${days.map((day) => `(${quote(day.id)}, ${quote(day.busId)})`).join(', ')};
INSERT INTO devices (id, bus_id, secret_hash, app_version, created_at)
	VALUES (${quote(DEVICE_ID)}, ${quote(BUS_ID)}, repeat('0', 64), '0.1.0', now());`;
}

/** Empties what a run wrote, so that every run inserts into the same empty tables. */
export const RESET_SQL = `TRUNCATE visits, mutation_digests; UPDATE devices SET last_mutation_id = 0;`;

/** One visit as the push path has it once validated: its JSON and the digest of that JSON. */
export interface PushRow {
	/** The visit itself, for a client that serialises json columns itself (postgres.js's insert helper). */
	visit: Visit;
	id: string;
	busId: string;
	serviceDayId: string;
	json: string;
	/** SHA-256 of `json`, 32 bytes. */
	digest: Buffer;
	mutationId: number;
}

/** One transaction's worth: the protocol's batch of mutations and the ledger before and after it. */
export interface PushBatch {
	rows: PushRow[];
	ids: string[];
	/** The device's last_mutation_id the transaction must find, then the one it writes. */
	ledgerBefore: number;
	ledgerAfter: number;
	receivedAt: string;
}

/**
 * The visits cut into batches of `size`, their JSON and digests computed once, before anything is timed:
 * every client is given the same strings and bytes, and the figures are the client's and the database's.
 */
export function pushBatches(visits: Visit[], size: number): PushBatch[] {
	const rows: PushRow[] = visits.map((visit, index) => {
		const json = JSON.stringify(visit);
		return {
			visit,
			id: visit.id,
			busId: visit.busId,
			serviceDayId: visit.serviceDayId,
			json,
			digest: createHash('sha256').update(json).digest(),
			mutationId: index + 1
		};
	});
	const batches: PushBatch[] = [];
	for (let from = 0; from < rows.length; from += size) {
		const slice = rows.slice(from, from + size);
		batches.push({
			rows: slice,
			ids: slice.map((row) => row.id),
			ledgerBefore: from,
			ledgerAfter: from + slice.length,
			receivedAt: new Date(Date.UTC(2026, 5, 1, 12) + from).toISOString()
		});
	}
	return batches;
}

/** Throws unless the device's ledger is where the batch expects it: a batch applied twice or skipped. */
export function checkLedger(found: string | number | undefined, batch: PushBatch): void {
	if (Number(found) !== batch.ledgerBefore) {
		throw new Error(`ledger at ${String(found)}, expected ${batch.ledgerBefore}`);
	}
}

/**
 * What a finished run must have stored. The payload check catches a JSON string stored as a JSON string
 * value (a client serialising the text a second time) as well as a lost row.
 */
export function verifySql(payload: PayloadType): string {
	const id = payload === 'text' ? `(payload::jsonb ->> 'id')` : `(payload ->> 'id')`;
	return `SELECT
	(SELECT count(*) FROM visits WHERE ${id} = id)::int AS visits,
	(SELECT count(*) FROM mutation_digests WHERE octet_length(digest) = 32)::int AS digests,
	(SELECT last_mutation_id FROM devices WHERE id = '${DEVICE_ID}')::int AS ledger`;
}

export function checkVerified(
	found: { visits: number; digests: number; ledger: number } | undefined,
	count: number,
	what: string
): void {
	if (!found || found.visits !== count || found.digests !== count || found.ledger !== count) {
		throw new Error(`${what}: expected ${count} visits, digests and ledger, found ${JSON.stringify(found)}`);
	}
}

/** COPY's text format: a backslash, a tab or a line break inside a value is written as an escape. */
export function copyText(value: string): string {
	return value.replace(/[\\\t\n\r]/g, (c) =>
		c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'
	);
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** What one client offers the bench: its ways to write a batch, the two reads, and its end. */
export interface ClientUnderTest {
	client: string;
	approaches: Approach[];
	/** Runs SQL of the bench's own (reset, checks) through the client. */
	exec(sql: string): Promise<void>;
	verify(payload: PayloadType): Promise<{ visits: number; digests: number; ledger: number } | undefined>;
	readPoint(id: string): Promise<unknown>;
	readRange(fromId: string, limit: number): Promise<readonly unknown[]>;
	end(): Promise<void>;
}

export interface Approach {
	name: string;
	/** One transaction: the device row FOR UPDATE, the read-ahead, the visits, the digests, the ledger. */
	pushBatch(batch: PushBatch, payload: PayloadType): Promise<void>;
}
