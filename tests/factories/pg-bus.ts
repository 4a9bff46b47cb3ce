/**
 * A bus written straight into a PostgreSQL test database, for contract specs whose rows need one (devices,
 * enrollment codes): the adapter has no bus repository yet. The bus is makeBus's, so both engines hold the
 * same row.
 */
import type { PgConnection } from '$lib/server/store/postgres/connection';
import { makeBus } from './bus';

export async function insertPgBus(connection: PgConnection, id: string): Promise<void> {
	const bus = makeBus({ id });
	await connection.query(
		`INSERT INTO buses (id, anct_id, name, kind, departement, territory, time_zone, home_insee, home_commune,
			home_postal_code, home_address, latitude, longitude, phone, email, takes_appointments, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		[
			bus.id,
			bus.anctId,
			bus.name,
			bus.kind,
			bus.departement,
			bus.territory,
			bus.timeZone,
			bus.homeInsee,
			bus.homeCommune,
			bus.homePostalCode,
			bus.homeAddress,
			bus.latitude,
			bus.longitude,
			bus.phone,
			bus.email,
			bus.takesAppointments,
			'2026-03-10T09:00:00.000Z'
		]
	);
}
