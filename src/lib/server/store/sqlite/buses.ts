import type { Bus } from '$lib/domain/schedule';
import type { BusRepository } from '../store';
import { prepared } from './connection';
import type { Exec, Now } from './exec';

interface BusRow {
	id: string;
	anct_id: string;
	name: string;
	kind: Bus['kind'];
	departement: string;
	territory: Bus['territory'];
	time_zone: string;
	home_insee: string;
	home_commune: string;
	home_postal_code: string;
	home_address: string;
	latitude: number;
	longitude: number;
	phone: string | null;
	email: string | null;
	takes_appointments: 0 | 1;
}

const COLUMNS = [
	'anct_id',
	'name',
	'kind',
	'departement',
	'territory',
	'time_zone',
	'home_insee',
	'home_commune',
	'home_postal_code',
	'home_address',
	'latitude',
	'longitude',
	'phone',
	'email',
	'takes_appointments'
] as const;

// An unchanged bus is not rewritten, so its updated_at keeps meaning "last real change".
const UPSERT = `INSERT INTO buses (id, ${COLUMNS.join(', ')}, updated_at)
	VALUES (@id, ${COLUMNS.map((c) => `@${c}`).join(', ')}, @updated_at)
	ON CONFLICT (id) DO UPDATE SET ${COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at
	WHERE (${COLUMNS.map((c) => `buses.${c}`).join(', ')}) IS NOT (${COLUMNS.map((c) => `excluded.${c}`).join(', ')})`;

function toRow(bus: Bus): BusRow {
	return {
		id: bus.id,
		anct_id: bus.anctId,
		name: bus.name,
		kind: bus.kind,
		departement: bus.departement,
		territory: bus.territory,
		time_zone: bus.timeZone,
		home_insee: bus.homeInsee,
		home_commune: bus.homeCommune,
		home_postal_code: bus.homePostalCode,
		home_address: bus.homeAddress,
		latitude: bus.latitude,
		longitude: bus.longitude,
		phone: bus.phone,
		email: bus.email,
		takes_appointments: bus.takesAppointments ? 1 : 0
	};
}

function fromRow(row: BusRow): Bus {
	return {
		id: row.id,
		anctId: row.anct_id,
		name: row.name,
		kind: row.kind,
		departement: row.departement,
		territory: row.territory,
		timeZone: row.time_zone,
		homeInsee: row.home_insee,
		homeCommune: row.home_commune,
		homePostalCode: row.home_postal_code,
		homeAddress: row.home_address,
		latitude: row.latitude,
		longitude: row.longitude,
		phone: row.phone,
		email: row.email,
		takesAppointments: row.takes_appointments === 1
	};
}

export function createBusRepository(exec: Exec, now: Now): BusRepository {
	return {
		upsertMany: (buses) =>
			exec((db) => {
				const updatedAt = now();
				// What must stay true: a batch lands whole or not at all (a savepoint inside an open transaction).
				db.transaction(() => {
					for (const bus of buses) prepared(db, UPSERT).run({ ...toRow(bus), updated_at: updatedAt });
				})();
			}),
		list: () =>
			exec((db) => (prepared(db, 'SELECT * FROM buses ORDER BY id').all() as BusRow[]).map(fromRow)),
		get: (id) =>
			exec((db) => {
				const row = prepared(db, 'SELECT * FROM buses WHERE id = ?').get(id) as BusRow | undefined;
				return row ? fromRow(row) : null;
			}),
		count: () => exec((db) => (prepared(db, 'SELECT COUNT(*) AS n FROM buses').get() as { n: number }).n)
	};
}
