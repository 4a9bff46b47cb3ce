/**
 * The PostgreSQL stop repository (issue 12): the same semantics as sqlite/stops.ts. A batch is one statement
 * (unnest of one array per column); a stop stored again unchanged is not rewritten, so its trigger logs no
 * change for tablets to pull. Lists sort in byte order (COLLATE "C"), as SQLite's BINARY collation does.
 */
import type { Stop } from '$lib/domain/schedule';
import type { Now } from '../sqlite/exec';
import type { StopRepository } from '../store';
import { rounds } from './batch';
import type { PgConnection } from './connection';
import type { PgScope } from './scope';

interface StopRow {
	id: string;
	bus_id: string;
	insee: string;
	commune: string;
	postal_code: string;
	place: string;
	address: string | null;
	access_notes: string | null;
	latitude: number;
	longitude: number;
	off_plan: boolean;
}

/** Every column but the id and updated_at, with its array type for unnest. */
const COLUMNS = [
	['bus_id', 'text'],
	['insee', 'text'],
	['commune', 'text'],
	['postal_code', 'text'],
	['place', 'text'],
	['address', 'text'],
	['access_notes', 'text'],
	['latitude', 'double precision'],
	['longitude', 'double precision'],
	['off_plan', 'boolean']
] as const satisfies readonly (readonly [Exclude<keyof StopRow, 'id'>, string])[];

const NAMES = COLUMNS.map(([name]) => name);

// $1 is the ids, $2.. the columns, the last parameter updated_at; IS DISTINCT FROM is SQLite's IS NOT.
const UPSERT = `INSERT INTO stops (id, ${NAMES.join(', ')}, updated_at)
	SELECT id, ${NAMES.join(', ')}, $${COLUMNS.length + 2}
	FROM unnest($1::text[], ${COLUMNS.map(([, type], i) => `$${i + 2}::${type}[]`).join(', ')})
		WITH ORDINALITY AS batch (id, ${NAMES.join(', ')}, position)
	ORDER BY position
	ON CONFLICT (id) DO UPDATE SET ${NAMES.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at
	WHERE (${NAMES.map((c) => `stops.${c}`).join(', ')}) IS DISTINCT FROM (${NAMES.map((c) => `excluded.${c}`).join(', ')})`;

const SELECT = `SELECT id, ${NAMES.join(', ')} FROM stops`;
const C = 'COLLATE "C"';

function toRow(stop: Stop): StopRow {
	return {
		id: stop.id,
		bus_id: stop.busId,
		insee: stop.insee,
		commune: stop.commune,
		postal_code: stop.postalCode,
		place: stop.place,
		address: stop.address,
		access_notes: stop.accessNotes,
		latitude: stop.latitude,
		longitude: stop.longitude,
		off_plan: stop.offPlan === true
	};
}

function fromRow(row: StopRow): Stop {
	return {
		id: row.id,
		busId: row.bus_id,
		insee: row.insee,
		commune: row.commune,
		postalCode: row.postal_code,
		place: row.place,
		address: row.address,
		accessNotes: row.access_notes,
		latitude: row.latitude,
		longitude: row.longitude,
		...(row.off_plan ? { offPlan: true as const } : {})
	};
}

export function createPgStopRepository(scope: PgScope, now: Now): StopRepository {
	return {
		upsertMany: async (stops) => {
			const updatedAt = now();
			// One statement per round (one round unless an id repeats): each lands whole or not at all.
			const write = (connection: PgConnection, batch: readonly Stop[]) => {
				const rows = batch.map(toRow);
				return connection.query(UPSERT, [
					rows.map((row) => row.id),
					...COLUMNS.map(([name]) => rows.map((row) => row[name])),
					updatedAt
				]);
			};
			const [first, ...more] = rounds(stops);
			if (!first) return;
			if (more.length === 0) await write(scope, first);
			else
				await scope.atomic(async (connection) => {
					for (const batch of [first, ...more]) await write(connection, batch);
				});
		},
		listByBus: async (busId) =>
			(await scope.query<StopRow>(`${SELECT} WHERE bus_id = $1 ORDER BY commune ${C}, id ${C}`, [busId])).map(
				fromRow
			),
		listAll: async () =>
			(await scope.query<StopRow>(`${SELECT} ORDER BY bus_id ${C}, commune ${C}, id ${C}`)).map(fromRow),
		get: async (id) => {
			const [row] = await scope.query<StopRow>(`${SELECT} WHERE id = $1`, [id]);
			return row ? fromRow(row) : null;
		}
	};
}
