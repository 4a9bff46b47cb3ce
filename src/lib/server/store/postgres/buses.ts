/**
 * The PostgreSQL bus repository (issue 12): the same semantics as sqlite/buses.ts. A batch is one statement
 * (unnest of one array per column); a bus stored again unchanged is not rewritten, so its `updated_at` keeps
 * meaning "last real change" and its trigger logs no change for tablets to pull.
 */
import type { Bus } from '$lib/domain/schedule';
import type { Now } from '../sqlite/exec';
import type { BusRepository } from '../store';
import { rounds } from './batch';
import type { PgConnection } from './connection';
import type { PgScope } from './scope';

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
	takes_appointments: boolean;
}

/** Every column but the id and updated_at, with its array type for unnest. */
const COLUMNS = [
	['anct_id', 'text'],
	['name', 'text'],
	['kind', 'text'],
	['departement', 'text'],
	['territory', 'text'],
	['time_zone', 'text'],
	['home_insee', 'text'],
	['home_commune', 'text'],
	['home_postal_code', 'text'],
	['home_address', 'text'],
	['latitude', 'double precision'],
	['longitude', 'double precision'],
	['phone', 'text'],
	['email', 'text'],
	['takes_appointments', 'boolean']
] as const satisfies readonly (readonly [Exclude<keyof BusRow, 'id'>, string])[];

const NAMES = COLUMNS.map(([name]) => name);

// $1 is the ids, $2.. the columns, the last parameter updated_at. IS DISTINCT FROM is SQLite's IS NOT: an
// unchanged bus matches no row, so nothing is updated and no change is logged.
const UPSERT = `INSERT INTO buses (id, ${NAMES.join(', ')}, updated_at)
	SELECT id, ${NAMES.join(', ')}, $${COLUMNS.length + 2}
	FROM unnest($1::text[], ${COLUMNS.map(([, type], i) => `$${i + 2}::${type}[]`).join(', ')})
		WITH ORDINALITY AS batch (id, ${NAMES.join(', ')}, position)
	ORDER BY position
	ON CONFLICT (id) DO UPDATE SET ${NAMES.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at
	WHERE (${NAMES.map((c) => `buses.${c}`).join(', ')}) IS DISTINCT FROM (${NAMES.map((c) => `excluded.${c}`).join(', ')})`;

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
		takes_appointments: bus.takesAppointments
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
		takesAppointments: row.takes_appointments
	};
}

const SELECT = `SELECT id, ${NAMES.join(', ')} FROM buses`;

// Byte order, as SQLite's BINARY collation sorts: the same list on either engine whatever the database's locale.
const C = 'COLLATE "C"';

export function createPgBusRepository(scope: PgScope, now: Now): BusRepository {
	return {
		upsertMany: async (buses) => {
			const updatedAt = now();
			// One statement per round (one round unless an id repeats): each lands whole or not at all.
			const write = (connection: PgConnection, batch: readonly Bus[]) => {
				const rows = batch.map(toRow);
				return connection.query(UPSERT, [
					rows.map((row) => row.id),
					...COLUMNS.map(([name]) => rows.map((row) => row[name])),
					updatedAt
				]);
			};
			const [first, ...more] = rounds(buses);
			if (!first) return;
			if (more.length === 0) await write(scope, first);
			else
				await scope.atomic(async (connection) => {
					for (const batch of [first, ...more]) await write(connection, batch);
				});
		},
		list: async () => (await scope.query<BusRow>(`${SELECT} ORDER BY id ${C}`)).map(fromRow),
		get: async (id) => {
			const [row] = await scope.query<BusRow>(`${SELECT} WHERE id = $1`, [id]);
			return row ? fromRow(row) : null;
		},
		count: async () => {
			const [row] = await scope.query<{ n: number }>('SELECT count(*)::integer AS n FROM buses');
			return row?.n ?? 0;
		}
	};
}
