import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../connection';
import { applyMigrations, readSchemaVersion } from '../migrate';
import { migrations } from './index';

const open: SqliteDatabase[] = [];
afterEach(() => {
	for (const db of open.splice(0)) if (db.open) db.close();
});

const AT = '2026-03-10T09:00:00.000Z';

/** A database at schema version 7 with one bus, one stop and one planned day. */
function databaseAtVersion6(): SqliteDatabase {
	const db = openDatabase(':memory:');
	open.push(db);
	applyMigrations(db, migrations.slice(0, 7), () => AT);
	db.exec(`
		INSERT INTO buses VALUES ('fs-1', '1', 'Bus', 'bus', '36', 'mainland', 'Europe/Paris', '36044',
			'Châteauroux', '36000', '1 rue', 46.8, 1.7, NULL, NULL, 0, '${AT}');
		INSERT INTO stops VALUES ('fs-1-mairie', 'fs-1', '36044', 'Châteauroux', '36000', 'Place de la mairie',
			NULL, NULL, 46.8, 1.7, '${AT}');
		INSERT INTO service_days (id, bus_id, stop_id, rule_id, date, start_time, end_time, status, reason, updated_at)
			VALUES ('fs-1-mardi@2026-03-10', 'fs-1', 'fs-1-mairie', NULL, '2026-03-10', '09:00', '12:00', 'planned', NULL, '${AT}');
	`);
	return db;
}

const lastData = (db: SqliteDatabase, id: string) =>
	JSON.parse(
		(
			db.prepare('SELECT data FROM change_log WHERE entity_id = ? ORDER BY seq DESC LIMIT 1').get(id) as {
				data: string;
			}
		).data
	) as Record<string, unknown>;

describe('migration 008: off-plan stops and days', () => {
	it('marks every existing stop and day as planned, and logs their changes in the shape tablets know', () => {
		const db = databaseAtVersion6();
		const before = lastData(db, 'fs-1-mardi@2026-03-10');
		applyMigrations(db, migrations.slice(0, 8), () => AT);
		expect(readSchemaVersion(db)).toBe(8);
		expect(db.prepare('SELECT off_plan FROM stops').all()).toEqual([{ off_plan: 0 }]);
		expect(db.prepare('SELECT off_plan FROM service_days').all()).toEqual([{ off_plan: 0 }]);

		db.prepare(`UPDATE service_days SET status = 'held', updated_at = ? WHERE id = ?`).run(
			AT,
			'fs-1-mardi@2026-03-10'
		);
		expect(lastData(db, 'fs-1-mardi@2026-03-10')).toEqual({ ...before, status: 'held' });
	});

	it('logs offPlan: true for an off-plan stop and day', () => {
		const db = databaseAtVersion6();
		applyMigrations(db, migrations.slice(0, 8), () => AT);
		db.exec(`
			INSERT INTO stops VALUES ('fs-1-hc-x', 'fs-1', '36063', 'Déols', '36130', 'Parking', NULL, NULL, 46.8, 1.7, '${AT}', 1);
			INSERT INTO service_days (id, bus_id, stop_id, rule_id, date, start_time, end_time, status, reason, updated_at, off_plan)
				VALUES ('fs-1-hc-x@2026-03-10', 'fs-1', 'fs-1-hc-x', NULL, '2026-03-10', '13:00', '16:00', 'held', NULL, '${AT}', 1);
		`);
		expect(lastData(db, 'fs-1-hc-x')).toMatchObject({ commune: 'Déols', offPlan: true });
		expect(lastData(db, 'fs-1-hc-x@2026-03-10')).toMatchObject({ status: 'held', offPlan: true });
		expect(() => db.exec(`UPDATE stops SET off_plan = 2`)).toThrow();
	});
});
