import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPgDatabase, type TestPgDatabase } from '$factories/postgres';
import { SchemaMismatchError, SchemaTooNewError } from '../migration-ledger';
import { openPgDatabase } from './connection';
import { applyPgMigrations, readPgSchemaVersion } from './migrate';
import { latestPgSchemaVersion, pgMigrations } from './migrations';

let database: TestPgDatabase;
beforeAll(async () => {
	database = await createTestPgDatabase();
});
afterAll(async () => {
	await database?.drop();
});

describe('PostgreSQL migrations', () => {
	it('apply once, whoever starts them: two processes at once, then a restart', async () => {
		const [one, two] = [openPgDatabase(database.url), openPgDatabase(database.url)];
		try {
			expect(await readPgSchemaVersion(one)).toBe(0);
			const both = await Promise.all([
				applyPgMigrations(one, pgMigrations),
				applyPgMigrations(two, pgMigrations)
			]);
			expect(both.flat()).toEqual(pgMigrations.map((migration) => migration.version));
			expect(await applyPgMigrations(one, pgMigrations)).toEqual([]);
			expect(await readPgSchemaVersion(two)).toBe(latestPgSchemaVersion);
			const tables = await one.query<{ name: string }>(
				"SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
			);
			expect(tables.map((table) => table.name)).toEqual([
				'buses',
				'change_log',
				'circuits',
				'devices',
				'enrollment_codes',
				'member_roles',
				'member_sessions',
				'members',
				'meta',
				'mutation_digests',
				'referral_events',
				'referrals',
				'rejected_mutations',
				'schema_migrations',
				'service_day_reports',
				'service_days',
				'stops',
				'throttles',
				'visit_withdrawals',
				'visits'
			]);
		} finally {
			await one.close();
			await two.close();
		}
	});

	it('refuse a database migrated by a newer Escale, or under other names, and change nothing', async () => {
		const db = openPgDatabase(database.url);
		try {
			await applyPgMigrations(db, pgMigrations);
			await db.query(
				"INSERT INTO schema_migrations VALUES (99, 'from-the-future', '2030-01-01T00:00:00.000Z')"
			);
			await expect(applyPgMigrations(db, pgMigrations)).rejects.toThrow(SchemaTooNewError);
			await db.query('DELETE FROM schema_migrations WHERE version = 99');
			await db.query("UPDATE schema_migrations SET name = 'another-build' WHERE version = 1");
			await expect(applyPgMigrations(db, pgMigrations)).rejects.toThrow(SchemaMismatchError);
			await db.query("UPDATE schema_migrations SET name = 'schema' WHERE version = 1");
		} finally {
			await db.close();
		}
	});

	it('log the changes of stops, days and buses in the shape tablets read from SQLite', async () => {
		const db = openPgDatabase(database.url);
		try {
			await applyPgMigrations(db, pgMigrations);
			const at = '2026-03-10T10:00:00.000Z';
			await db.query(
				`INSERT INTO buses VALUES ('fs-1', '1', 'Bus', 'bus', '23', 'metropole', 'Europe/Paris', '23096', 'Guéret',
				'23000', '1 place', 46.1, 1.8, NULL, NULL, true, $1)`,
				[at]
			);
			await db.query(
				`INSERT INTO stops (id, bus_id, insee, commune, postal_code, place, latitude, longitude, off_plan, updated_at)
				VALUES ('fs-1-a', 'fs-1', '23096', 'Guéret', '23000', 'Place', 46.1, 1.8, true, $1)`,
				[at]
			);
			const rows = await db.query<{ entity: string; data: string }>(
				"SELECT entity, data FROM change_log WHERE bus_id = 'fs-1' ORDER BY seq"
			);
			expect(rows.map((row) => row.entity)).toEqual(['bus', 'stop']);
			expect(JSON.parse(rows[0]!.data)).toMatchObject({ id: 'fs-1', takesAppointments: true, phone: null });
			expect(JSON.parse(rows[1]!.data)).toEqual({
				id: 'fs-1-a',
				busId: 'fs-1',
				insee: '23096',
				commune: 'Guéret',
				postalCode: '23000',
				place: 'Place',
				address: null,
				accessNotes: null,
				latitude: 46.1,
				longitude: 1.8,
				offPlan: true
			});
		} finally {
			await db.close();
		}
	});
});
