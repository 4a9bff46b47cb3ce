/**
 * The PostgreSQL schema (issue 12), version 1: the SQLite schema as its migrations 001 to 009 left it, in one
 * step, since no PostgreSQL database exists in the field yet. From here on both engines get a migration each
 * time the schema changes, in their own numbering.
 *
 * What differs from SQLite, and why:
 * - Payloads and change data are `json`: checked on the way in, kept as the exact text written (the sync
 *   compares a replayed visit's JSON text with the stored one), where `jsonb` would reorder its keys.
 * - Instants and local dates stay `text` in the formats the app writes (ISO 8601 UTC, YYYY-MM-DD, HH:MM),
 *   checked by pattern: the store hands back exactly what it was given, on either engine.
 * - Flags are `boolean`; ids that SQLite numbers with AUTOINCREMENT are identity columns.
 * - The change log is commit-ordered per bus (pull cursors never skip a row): see `log_change`.
 */
import type { PgMigration } from '../migrate';

const INSTANT = `~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?Z$'`;

export const schema: PgMigration = {
	version: 1,
	name: 'schema',
	sql: `
CREATE TABLE buses (
	id text PRIMARY KEY,
	anct_id text NOT NULL,
	name text NOT NULL,
	kind text NOT NULL CHECK (kind IN ('bus', 'itinerant')),
	departement text NOT NULL,
	territory text NOT NULL,
	time_zone text NOT NULL,
	home_insee text NOT NULL,
	home_commune text NOT NULL,
	home_postal_code text NOT NULL,
	home_address text NOT NULL,
	latitude double precision NOT NULL,
	longitude double precision NOT NULL,
	phone text,
	email text,
	takes_appointments boolean NOT NULL,
	updated_at text NOT NULL
);
CREATE INDEX buses_anct_id ON buses (anct_id);

CREATE TABLE stops (
	id text PRIMARY KEY,
	bus_id text NOT NULL REFERENCES buses (id),
	insee text NOT NULL,
	commune text NOT NULL,
	postal_code text NOT NULL,
	place text NOT NULL,
	address text,
	access_notes text,
	latitude double precision NOT NULL,
	longitude double precision NOT NULL,
	off_plan boolean NOT NULL DEFAULT false,
	updated_at text NOT NULL
);
CREATE INDEX stops_bus ON stops (bus_id);
CREATE INDEX stops_insee ON stops (insee);

CREATE TABLE circuits (
	id text PRIMARY KEY,
	bus_id text NOT NULL REFERENCES buses (id),
	name text NOT NULL,
	-- The rules (domain CircuitRule[]): read and written whole, never queried inside.
	rules json NOT NULL CHECK (json_typeof(rules) = 'array'),
	updated_at text NOT NULL
);
CREATE INDEX circuits_bus ON circuits (bus_id);

CREATE TABLE service_days (
	id text PRIMARY KEY,
	bus_id text NOT NULL REFERENCES buses (id),
	stop_id text NOT NULL REFERENCES stops (id),
	-- Not a foreign key: rules live inside circuits.rules. NULL for a day added by hand.
	rule_id text,
	date text NOT NULL CHECK (date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
	start_time text NOT NULL CHECK (start_time ~ '^[0-2][0-9]:[0-5][0-9]$'),
	end_time text NOT NULL CHECK (end_time ~ '^[0-2][0-9]:[0-5][0-9]$'),
	status text NOT NULL CHECK (status IN ('planned', 'held', 'cancelled', 'moved')),
	reason text,
	revision integer NOT NULL DEFAULT 1,
	edited_at text,
	off_plan boolean NOT NULL DEFAULT false,
	updated_at text NOT NULL,
	CHECK (start_time < end_time)
);
CREATE INDEX service_days_bus_date ON service_days (bus_id, date, start_time);
CREATE INDEX service_days_stop_date ON service_days (stop_id, date, start_time);

CREATE TABLE meta (
	key text PRIMARY KEY,
	value text NOT NULL,
	updated_at text NOT NULL
);

CREATE TABLE devices (
	id text PRIMARY KEY,
	bus_id text NOT NULL REFERENCES buses (id),
	-- SHA-256 of the token's secret, hex: the secret itself is never stored.
	secret_hash text NOT NULL,
	app_version text NOT NULL,
	created_at text NOT NULL,
	revoked_at text,
	-- Highest acknowledged mutation id (applied or rejected): the deduplication ledger.
	last_mutation_id bigint NOT NULL DEFAULT 0 CHECK (last_mutation_id >= 0),
	last_seen_at text
);
CREATE INDEX devices_bus ON devices (bus_id);

CREATE TABLE enrollment_codes (
	-- SHA-256 of the normalised code, hex.
	code_hash text PRIMARY KEY,
	bus_id text NOT NULL REFERENCES buses (id),
	created_at text NOT NULL,
	expires_at text NOT NULL,
	used_at text,
	used_by_device text REFERENCES devices (id)
);

CREATE TABLE visits (
	id text PRIMARY KEY,
	bus_id text NOT NULL REFERENCES buses (id),
	service_day_id text NOT NULL REFERENCES service_days (id),
	device_id text NOT NULL REFERENCES devices (id),
	-- The domain Visit as validated.
	payload json NOT NULL,
	received_at text NOT NULL CHECK (received_at ${INSTANT})
);
CREATE INDEX visits_bus_day ON visits (bus_id, service_day_id);
CREATE INDEX visits_correction_of ON visits ((payload ->> 'correctionOf'))
	WHERE payload ->> 'correctionOf' IS NOT NULL;

CREATE TABLE visit_withdrawals (
	visit_id text PRIMARY KEY REFERENCES visits (id),
	bus_id text NOT NULL REFERENCES buses (id),
	device_id text NOT NULL REFERENCES devices (id),
	-- The withdrawal as validated (visitId, at): a replay compares against it.
	payload json NOT NULL,
	-- Device clock, informative only.
	at text NOT NULL,
	received_at text NOT NULL
);

CREATE TABLE referrals (
	id text PRIMARY KEY,
	bus_id text NOT NULL REFERENCES buses (id),
	visit_id text NOT NULL,
	device_id text NOT NULL REFERENCES devices (id),
	status text NOT NULL CHECK (status IN ('open', 'transmitted', 'acknowledged', 'resolved', 'closed')),
	-- The referral as first received (to tell a replay from a conflicting one), and as it stands now.
	created_payload json NOT NULL,
	payload json NOT NULL,
	received_at text NOT NULL,
	updated_at text NOT NULL
);
CREATE INDEX referrals_bus ON referrals (bus_id);

CREATE TABLE referral_events (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	referral_id text NOT NULL REFERENCES referrals (id),
	status text NOT NULL,
	-- Device clock, shown to people; never used to order.
	at text NOT NULL,
	device_id text REFERENCES devices (id),
	received_at text NOT NULL
);
CREATE INDEX referral_events_referral ON referral_events (referral_id, id);

CREATE TABLE service_day_reports (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	service_day_id text NOT NULL REFERENCES service_days (id),
	bus_id text NOT NULL REFERENCES buses (id),
	device_id text NOT NULL REFERENCES devices (id),
	report text NOT NULL CHECK (report IN ('held', 'late', 'cancelled')),
	delay_minutes integer,
	reason text CHECK (reason IN ('breakdown', 'weather', 'staff', 'other')),
	at text NOT NULL,
	received_at text NOT NULL
);
CREATE INDEX service_day_reports_day ON service_day_reports (service_day_id, id);

CREATE TABLE rejected_mutations (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	device_id text NOT NULL REFERENCES devices (id),
	bus_id text NOT NULL,
	mutation_id bigint NOT NULL,
	-- Null: a kind this server does not know (it is not kept).
	kind text,
	-- Null: not of its kind's shape, or a service day the device's bus does not have (it is not kept).
	entity_id text,
	reason text NOT NULL,
	detail text,
	-- The payload as validated, without a contact; 'null' when it failed its schema or names a bus or a
	-- service day the device's bus does not have.
	payload json NOT NULL,
	at text NOT NULL,
	UNIQUE (device_id, mutation_id)
);
CREATE INDEX rejected_mutations_bus ON rejected_mutations (bus_id, id);

CREATE TABLE mutation_digests (
	device_id text NOT NULL REFERENCES devices (id),
	mutation_id bigint NOT NULL CHECK (mutation_id >= 1),
	-- SHA-256 of the mutation as the tablet sent it (kind, entityId, schemaVersion, payload).
	digest bytea NOT NULL CHECK (length(digest) = 32),
	PRIMARY KEY (device_id, mutation_id)
);

CREATE TABLE members (
	id text PRIMARY KEY,
	-- Lower-cased by the application; the check keeps a stray upper-case copy out of the unique index.
	email text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
	display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 80),
	password_hash text NOT NULL,
	created_at text NOT NULL,
	disabled_at text
);

CREATE TABLE member_roles (
	member_id text NOT NULL REFERENCES members (id) ON DELETE CASCADE,
	role text NOT NULL CHECK (role IN ('coordinateur', 'national', 'admin', 'partenaire')),
	PRIMARY KEY (member_id, role)
);

CREATE TABLE member_sessions (
	-- SHA-256 of the cookie's token, hex: the token itself is never stored.
	id text PRIMARY KEY,
	member_id text NOT NULL REFERENCES members (id) ON DELETE CASCADE,
	created_at text NOT NULL,
	expires_at text NOT NULL,
	last_seen_at text NOT NULL
);
CREATE INDEX member_sessions_member ON member_sessions (member_id);
CREATE INDEX member_sessions_expiry ON member_sessions (expires_at);

CREATE TABLE throttles (
	scope text NOT NULL,
	key text NOT NULL,
	amount double precision NOT NULL,
	at_ms bigint NOT NULL,
	forget_at_ms bigint NOT NULL,
	PRIMARY KEY (scope, key)
);
CREATE INDEX throttles_forget ON throttles (forget_at_ms);

-- What tablets pull: every change of a bus's stops, days, referrals and the bus itself, in the order the
-- changes committed. A sequence value is taken before commit, so two transactions writing changes of one
-- bus could commit in the other order (102 visible before 101): a reader would move its cursor past 101 for
-- good. log_change takes a lock per bus, held until commit, before it takes its sequence value: the
-- changes of one bus are numbered in commit order, and a pull (per bus) never sees a gap that fills later.
CREATE TABLE change_log (
	seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	bus_id text NOT NULL,
	entity text NOT NULL CHECK (entity IN ('bus', 'stop', 'serviceDay', 'referral')),
	entity_id text NOT NULL,
	op text NOT NULL CHECK (op IN ('put', 'delete')),
	data json,
	at text NOT NULL
);
CREATE INDEX change_log_bus_seq ON change_log (bus_id, seq);

CREATE FUNCTION log_change(bus text, kind text, entity text, data json, at text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	-- One lock per bus for the rest of the transaction (2^64 keys: two buses share one only by accident,
	-- and then merely wait for each other).
	PERFORM pg_advisory_xact_lock(hashtextextended('escale.change_log:' || bus, 0));
	INSERT INTO change_log (bus_id, entity, entity_id, op, data, at) VALUES (bus, kind, entity, 'put', data, at);
END;
$$;

CREATE FUNCTION log_bus() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM log_change(NEW.id, 'bus', NEW.id, json_build_object('id', NEW.id, 'anctId', NEW.anct_id,
		'name', NEW.name, 'kind', NEW.kind, 'departement', NEW.departement, 'territory', NEW.territory,
		'timeZone', NEW.time_zone, 'homeInsee', NEW.home_insee, 'homeCommune', NEW.home_commune,
		'homePostalCode', NEW.home_postal_code, 'homeAddress', NEW.home_address, 'latitude', NEW.latitude,
		'longitude', NEW.longitude, 'phone', NEW.phone, 'email', NEW.email,
		'takesAppointments', NEW.takes_appointments), NEW.updated_at);
	RETURN NULL;
END;
$$;
CREATE TRIGGER buses_log AFTER INSERT OR UPDATE ON buses FOR EACH ROW EXECUTE FUNCTION log_bus();

CREATE FUNCTION log_stop() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	data jsonb := jsonb_build_object('id', NEW.id, 'busId', NEW.bus_id, 'insee', NEW.insee,
		'commune', NEW.commune, 'postalCode', NEW.postal_code, 'place', NEW.place, 'address', NEW.address,
		'accessNotes', NEW.access_notes, 'latitude', NEW.latitude, 'longitude', NEW.longitude);
BEGIN
	IF NEW.off_plan THEN data := data || '{"offPlan": true}'; END IF;
	PERFORM log_change(NEW.bus_id, 'stop', NEW.id, data::json, NEW.updated_at);
	RETURN NULL;
END;
$$;
CREATE TRIGGER stops_log AFTER INSERT OR UPDATE ON stops FOR EACH ROW EXECUTE FUNCTION log_stop();

CREATE FUNCTION log_service_day() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	data jsonb := jsonb_build_object('id', NEW.id, 'busId', NEW.bus_id, 'stopId', NEW.stop_id,
		'ruleId', NEW.rule_id, 'date', NEW.date, 'start', NEW.start_time, 'end', NEW.end_time,
		'status', NEW.status, 'reason', NEW.reason);
BEGIN
	IF NEW.off_plan THEN data := data || '{"offPlan": true}'; END IF;
	PERFORM log_change(NEW.bus_id, 'serviceDay', NEW.id, data::json, NEW.updated_at);
	RETURN NULL;
END;
$$;
CREATE TRIGGER service_days_log AFTER INSERT OR UPDATE ON service_days
	FOR EACH ROW EXECUTE FUNCTION log_service_day();

CREATE FUNCTION log_referral() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM log_change(NEW.bus_id, 'referral', NEW.id, NEW.payload, NEW.updated_at);
	RETURN NULL;
END;
$$;
CREATE TRIGGER referrals_log AFTER INSERT OR UPDATE ON referrals FOR EACH ROW EXECUTE FUNCTION log_referral();
`
};
