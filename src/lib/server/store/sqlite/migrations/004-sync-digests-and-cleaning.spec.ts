import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '$factories/store';
import type { SqliteDatabase } from '../connection';
import { applyMigrations, readSchemaVersion, type Migration } from '../migrate';
import { cleanRejectionDetail } from './004-sync-digests-and-cleaning';
import { migrations } from './index';

const open: SqliteDatabase[] = [];
afterEach(() => {
	for (const db of open.splice(0)) if (db.open) db.close();
});

const AT = '2026-03-10T09:00:00.000Z';
const DAY = 'fs-101-mardi-am@2026-03-10';
const UUID = '5b0f2c1e-8a4d-4e6b-9c3a-1f2e3d4c5b6a';
const UNKNOWN_KEY = 'Champ non autorisé : seuls les champs prévus sont acceptés';

/** A database at schema version 3, as issue 3 left it, holding what tablets were able to store then. */
function databaseAtVersion3(): SqliteDatabase {
	const db = openTestDatabase({ version: 3, now: () => AT });
	open.push(db);
	db.exec(`
		INSERT INTO buses (id, anct_id, name, kind, departement, territory, time_zone, home_insee, home_commune,
			home_postal_code, home_address, latitude, longitude, phone, email, takes_appointments, updated_at)
			VALUES ('fs-101', '101', 'Bus A', 'bus', '36', 'metropole', 'Europe/Paris', '36044', 'Châteauroux',
			'36000', '1 place de la Gare', 46.8, 1.7, NULL, NULL, 0, '${AT}');
		INSERT INTO stops (id, bus_id, insee, commune, postal_code, place, address, access_notes, latitude, longitude,
			updated_at) VALUES ('fs-101-mairie', 'fs-101', '36044', 'Châteauroux', '36000', 'Mairie', NULL, NULL, 46.8,
			1.7, '${AT}');
		INSERT INTO service_days (id, bus_id, stop_id, rule_id, date, start_time, end_time, status, reason, updated_at)
			VALUES ('${DAY}', 'fs-101', 'fs-101-mairie', 'fs-101-mardi-am', '2026-03-10', '09:00', '12:00', 'planned',
			NULL, '${AT}');
		INSERT INTO devices (id, bus_id, secret_hash, app_version, created_at, last_mutation_id)
			VALUES ('dev-good', 'fs-101', '${'a'.repeat(64)}', '1.4.0', '${AT}', 7),
			('dev-phone', 'fs-101', '${'b'.repeat(64)}', '0612345678', '${AT}', 0),
			('dev-name', 'fs-101', '${'c'.repeat(64)}', 'Dupont', '${AT}', 0);
	`);
	const reject = db.prepare(
		`INSERT INTO rejected_mutations (device_id, bus_id, mutation_id, kind, entity_id, reason, detail, payload, at)
			VALUES ('dev-good', 'fs-101', ?, ?, ?, ?, ?, ?, '${AT}')`
	);
	const visit = (fields: Record<string, unknown>) =>
		JSON.stringify({ id: UUID, busId: 'fs-101', serviceDayId: DAY, channel: 'walkIn', ...fields });
	reject.run(1, 'dupont', 'jean.dupont@mail.fr', 'unknown_kind', 'Type inconnu', 'null');
	reject.run(2, 'visit.create', '0612345678', 'entity_mismatch', 'entityId ne correspond pas', 'null');
	reject.run(
		3,
		'visit.create',
		UUID,
		'not_found',
		'serviceDayId : inconnu',
		visit({ serviceDayId: 'Dupont' })
	);
	reject.run(4, 'visit.create', UUID, 'out_of_scope', 'La visite', visit({ busId: '185057800608436' }));
	reject.run(5, 'serviceDay.report', 'Jean Dupont', 'not_found', 'inconnu', 'null');
	reject.run(6, 'serviceDay.report', DAY, 'invalid_payload', `report : valeur`, 'null');
	reject.run(7, 'visit.create', UUID, 'conflict', 'Une autre visite porte déjà cet id', visit({}));
	reject.run(8, 'visit.create', UUID, 'invalid_payload', `requests.0.Jean Dupont : ${UNKNOWN_KEY}`, 'null');
	return db;
}

describe('migration 4', () => {
	it('keeps of each refused mutation only what can be checked, and empties app versions that are not versions', () => {
		const db = databaseAtVersion3();
		applyMigrations(db, migrations, () => AT);

		expect(readSchemaVersion(db)).toBeGreaterThanOrEqual(4);
		const rows = db
			.prepare(
				'SELECT mutation_id, kind, entity_id, detail, payload FROM rejected_mutations ORDER BY mutation_id'
			)
			.all() as {
			mutation_id: number;
			kind: string | null;
			entity_id: string | null;
			detail: string;
			payload: string;
		}[];
		expect(rows.map(({ mutation_id, kind, entity_id }) => [mutation_id, kind, entity_id])).toEqual([
			[1, null, null],
			[2, 'visit.create', null],
			[3, 'visit.create', UUID],
			[4, 'visit.create', UUID],
			[5, 'serviceDay.report', null],
			[6, 'serviceDay.report', DAY],
			[7, 'visit.create', UUID],
			[8, 'visit.create', UUID]
		]);
		expect(rows.map((row) => row.payload === 'null')).toEqual([
			true,
			true,
			true,
			true,
			true,
			true,
			false,
			true
		]);
		expect(rows[7]?.detail).toBe(`requests.0 : ${UNKNOWN_KEY}`);
		const text = JSON.stringify(rows);
		for (const value of ['dupont', 'Dupont', '0612345678', '185057800608436'])
			expect(text).not.toContain(value);

		const versions = db.prepare('SELECT id, app_version FROM devices ORDER BY id').all();
		expect(versions).toEqual([
			{ id: 'dev-good', app_version: '1.4.0' },
			{ id: 'dev-name', app_version: '' },
			{ id: 'dev-phone', app_version: '' }
		]);
		// The ledger is kept; the ids it counts have no digest.
		expect(db.prepare("SELECT last_mutation_id FROM devices WHERE id = 'dev-good'").get()).toEqual({
			last_mutation_id: 7
		});
		expect(db.prepare('SELECT COUNT(*) AS n FROM mutation_digests').get()).toEqual({ n: 0 });
	});

	it('accepts a refused mutation with no kind or entity id kept, which version 3 could not store', () => {
		const db = databaseAtVersion3();
		applyMigrations(db, migrations, () => AT);
		db.prepare(
			`INSERT INTO rejected_mutations (device_id, bus_id, mutation_id, kind, entity_id, reason, detail, payload, at)
				VALUES ('dev-good', 'fs-101', 9, NULL, NULL, 'unknown_kind', NULL, 'null', '${AT}')`
		).run();
		expect(db.prepare('SELECT COUNT(*) AS n FROM rejected_mutations').get()).toEqual({ n: 9 });
	});
});

describe('a migration with a data step', () => {
	it('commits its schema change, its data step and its ledger row together, or none of them', () => {
		const db = databaseAtVersion3();
		const failing: Migration = {
			...migrations[3]!,
			data() {
				throw new Error('data step failed');
			}
		};
		expect(() => applyMigrations(db, [...migrations.slice(0, 3), failing])).toThrow('data step failed');
		expect(readSchemaVersion(db)).toBe(3);
		const tables = db.prepare("SELECT name FROM sqlite_master WHERE name = 'mutation_digests'").all();
		expect(tables).toEqual([]);
	});
});

describe('the detail of a refused payload', () => {
	it('loses the name of a key the tablet made up, and keeps the path of known fields', () => {
		expect(cleanRejectionDetail(`Dupont : ${UNKNOWN_KEY}`)).toBe(UNKNOWN_KEY);
		expect(cleanRejectionDetail(`contact.jean.dupont@mail.fr : ${UNKNOWN_KEY}`)).toBe(
			`contact : ${UNKNOWN_KEY}`
		);
		expect(cleanRejectionDetail('requests.0.partner : Partenaire inconnu')).toBe(
			'requests.0.partner : Partenaire inconnu'
		);
		expect(cleanRejectionDetail(null)).toBeNull();
	});
});
