import type { Stop } from '$lib/domain/schedule';
import type { StopRepository } from '../store';
import { prepared } from './connection';
import type { Exec, Now } from './exec';

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
	off_plan: 0 | 1;
}

const COLUMNS = [
	'bus_id',
	'insee',
	'commune',
	'postal_code',
	'place',
	'address',
	'access_notes',
	'latitude',
	'longitude',
	'off_plan'
] as const;

const UPSERT = `INSERT INTO stops (id, ${COLUMNS.join(', ')}, updated_at)
	VALUES (@id, ${COLUMNS.map((c) => `@${c}`).join(', ')}, @updated_at)
	ON CONFLICT (id) DO UPDATE SET ${COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at
	WHERE (${COLUMNS.map((c) => `stops.${c}`).join(', ')}) IS NOT (${COLUMNS.map((c) => `excluded.${c}`).join(', ')})`;

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
		off_plan: stop.offPlan ? 1 : 0
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
		...(row.off_plan === 1 ? { offPlan: true as const } : {})
	};
}

export function createStopRepository(exec: Exec, now: Now): StopRepository {
	return {
		upsertMany: (stops) =>
			exec((db) => {
				const updatedAt = now();
				// What must stay true: a batch lands whole or not at all.
				db.transaction(() => {
					for (const stop of stops) prepared(db, UPSERT).run({ ...toRow(stop), updated_at: updatedAt });
				})();
			}),
		listByBus: (busId) =>
			exec((db) =>
				(
					prepared(db, 'SELECT * FROM stops WHERE bus_id = ? ORDER BY commune, id').all(busId) as StopRow[]
				).map(fromRow)
			),
		listAll: () =>
			exec((db) =>
				(prepared(db, 'SELECT * FROM stops ORDER BY bus_id, commune, id').all() as StopRow[]).map(fromRow)
			),
		get: (id) =>
			exec((db) => {
				const row = prepared(db, 'SELECT * FROM stops WHERE id = ?').get(id) as StopRow | undefined;
				return row ? fromRow(row) : null;
			})
	};
}
