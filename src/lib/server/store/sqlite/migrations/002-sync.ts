/**
 * Sync (issue 3): enrolled devices and their one-time codes, the records tablets push (visits, referrals
 * and their status events, crew reports on service days), the mutations refused with their reason, and
 * the change log tablets pull from.
 *
 * The change log is written by triggers, in the same transaction as the change itself, whoever makes it
 * (seeding, a coordinator's edit, a pushed report): a pulled schedule cannot miss a change. `seq` is
 * AUTOINCREMENT and SQLite has one writer, so seq order is commit order (a PostgreSQL port must serialise
 * the counter or read up to a safe watermark). The `data` column holds the record in the domain's shape.
 */
import type { Migration } from '../migrate';

const json = (column: string) => `json(CASE ${column} WHEN 1 THEN 'true' ELSE 'false' END)`;

const BUS_DATA = `json_object('id', NEW.id, 'anctId', NEW.anct_id, 'name', NEW.name, 'kind', NEW.kind,
	'departement', NEW.departement, 'territory', NEW.territory, 'timeZone', NEW.time_zone,
	'homeInsee', NEW.home_insee, 'homeCommune', NEW.home_commune, 'homePostalCode', NEW.home_postal_code,
	'homeAddress', NEW.home_address, 'latitude', NEW.latitude, 'longitude', NEW.longitude, 'phone', NEW.phone,
	'email', NEW.email, 'takesAppointments', ${json('NEW.takes_appointments')})`;

const STOP_DATA = `json_object('id', NEW.id, 'busId', NEW.bus_id, 'insee', NEW.insee, 'commune', NEW.commune,
	'postalCode', NEW.postal_code, 'place', NEW.place, 'address', NEW.address, 'accessNotes', NEW.access_notes,
	'latitude', NEW.latitude, 'longitude', NEW.longitude)`;

const SERVICE_DAY_DATA = `json_object('id', NEW.id, 'busId', NEW.bus_id, 'stopId', NEW.stop_id,
	'ruleId', NEW.rule_id, 'date', NEW.date, 'start', NEW.start_time, 'end', NEW.end_time, 'status', NEW.status,
	'reason', NEW.reason)`;

/** One AFTER INSERT and one AFTER UPDATE trigger copying the new row into the change log. */
function logTriggers(table: string, entity: string, busColumn: string, data: string): string {
	return ['INSERT', 'UPDATE']
		.map(
			(event) => `CREATE TRIGGER ${table}_log_${event.toLowerCase()} AFTER ${event} ON ${table} BEGIN
	INSERT INTO change_log (bus_id, entity, entity_id, op, data, at)
	VALUES (NEW.${busColumn}, '${entity}', NEW.id, 'put', ${data}, NEW.updated_at);
END;`
		)
		.join('\n');
}

export const sync: Migration = {
	version: 2,
	name: 'sync',
	sql: `
CREATE TABLE devices (
	id TEXT PRIMARY KEY,
	bus_id TEXT NOT NULL REFERENCES buses (id),
	-- SHA-256 of the token's secret, hex: the secret itself is never stored.
	secret_hash TEXT NOT NULL,
	app_version TEXT NOT NULL,
	created_at TEXT NOT NULL,
	revoked_at TEXT,
	-- Highest acknowledged mutation id (applied or rejected): the deduplication ledger.
	last_mutation_id INTEGER NOT NULL DEFAULT 0 CHECK (last_mutation_id >= 0),
	last_seen_at TEXT
) STRICT;
CREATE INDEX devices_bus ON devices (bus_id);

CREATE TABLE enrollment_codes (
	-- SHA-256 of the normalised code, hex.
	code_hash TEXT PRIMARY KEY,
	bus_id TEXT NOT NULL REFERENCES buses (id),
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	used_at TEXT,
	used_by_device TEXT REFERENCES devices (id)
) STRICT;

CREATE TABLE visits (
	id TEXT PRIMARY KEY,
	bus_id TEXT NOT NULL REFERENCES buses (id),
	service_day_id TEXT NOT NULL REFERENCES service_days (id),
	device_id TEXT NOT NULL REFERENCES devices (id),
	-- The domain Visit as validated, JSON.
	payload TEXT NOT NULL CHECK (json_valid(payload)),
	received_at TEXT NOT NULL
) STRICT;
CREATE INDEX visits_bus_day ON visits (bus_id, service_day_id);

CREATE TABLE referrals (
	id TEXT PRIMARY KEY,
	bus_id TEXT NOT NULL REFERENCES buses (id),
	visit_id TEXT NOT NULL,
	device_id TEXT NOT NULL REFERENCES devices (id),
	status TEXT NOT NULL CHECK (status IN ('open', 'transmitted', 'acknowledged', 'resolved', 'closed')),
	-- The referral as first received (to tell a replay from a conflicting one), and as it stands now.
	created_payload TEXT NOT NULL CHECK (json_valid(created_payload)),
	payload TEXT NOT NULL CHECK (json_valid(payload)),
	received_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX referrals_bus ON referrals (bus_id);

CREATE TABLE referral_events (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	referral_id TEXT NOT NULL REFERENCES referrals (id),
	status TEXT NOT NULL,
	-- Device clock, shown to people; never used to order.
	at TEXT NOT NULL,
	device_id TEXT REFERENCES devices (id),
	received_at TEXT NOT NULL
) STRICT;
CREATE INDEX referral_events_referral ON referral_events (referral_id, id);

CREATE TABLE service_day_reports (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	service_day_id TEXT NOT NULL REFERENCES service_days (id),
	bus_id TEXT NOT NULL REFERENCES buses (id),
	device_id TEXT NOT NULL REFERENCES devices (id),
	report TEXT NOT NULL CHECK (report IN ('held', 'late', 'cancelled')),
	delay_minutes INTEGER,
	reason TEXT CHECK (reason IN ('breakdown', 'weather', 'staff', 'other')),
	at TEXT NOT NULL,
	received_at TEXT NOT NULL
) STRICT;
CREATE INDEX service_day_reports_day ON service_day_reports (service_day_id, id);

CREATE TABLE rejected_mutations (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	device_id TEXT NOT NULL REFERENCES devices (id),
	bus_id TEXT NOT NULL,
	mutation_id INTEGER NOT NULL,
	kind TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	reason TEXT NOT NULL,
	detail TEXT,
	-- The payload as validated, JSON, so a coordinator can see it; 'null' when it failed its schema (it
	-- could hold the free text or personal data the schema refuses).
	payload TEXT NOT NULL,
	at TEXT NOT NULL,
	UNIQUE (device_id, mutation_id)
) STRICT;

CREATE TABLE change_log (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	bus_id TEXT NOT NULL,
	entity TEXT NOT NULL CHECK (entity IN ('bus', 'stop', 'serviceDay', 'referral')),
	entity_id TEXT NOT NULL,
	op TEXT NOT NULL CHECK (op IN ('put', 'delete')),
	data TEXT CHECK (data IS NULL OR json_valid(data)),
	at TEXT NOT NULL
) STRICT;
CREATE INDEX change_log_bus_seq ON change_log (bus_id, seq);

${logTriggers('buses', 'bus', 'id', BUS_DATA)}
${logTriggers('stops', 'stop', 'bus_id', STOP_DATA)}
${logTriggers('service_days', 'serviceDay', 'bus_id', SERVICE_DAY_DATA)}
${logTriggers('referrals', 'referral', 'bus_id', 'json(NEW.payload)')}

-- Rows that existed before this migration enter the log once, so a first pull is complete.
INSERT INTO change_log (bus_id, entity, entity_id, op, data, at)
	SELECT NEW.id, 'bus', NEW.id, 'put', ${BUS_DATA}, NEW.updated_at FROM buses AS NEW ORDER BY NEW.id;
INSERT INTO change_log (bus_id, entity, entity_id, op, data, at)
	SELECT NEW.bus_id, 'stop', NEW.id, 'put', ${STOP_DATA}, NEW.updated_at FROM stops AS NEW ORDER BY NEW.id;
INSERT INTO change_log (bus_id, entity, entity_id, op, data, at)
	SELECT NEW.bus_id, 'serviceDay', NEW.id, 'put', ${SERVICE_DAY_DATA}, NEW.updated_at
	FROM service_days AS NEW ORDER BY NEW.date, NEW.id;
`
};
