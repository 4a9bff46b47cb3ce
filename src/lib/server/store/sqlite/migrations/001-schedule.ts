/**
 * The schedule: buses, stops, circuits, service days, and a small key-value table about the database.
 *
 * Later issues add visits, referrals, devices and the change log beside these tables. Room is left for
 * them: every row has `updated_at`, service days carry a `revision` (the base of a pull cursor) and an
 * `edited_at` that protects a coordinator's edit from regeneration. Types stay plain (TEXT, INTEGER, REAL)
 * so the PostgreSQL adapter can mirror the schema. STRICT makes SQLite reject a value of the wrong type.
 */
import type { Migration } from '../migrate';

export const schedule: Migration = {
	version: 1,
	name: 'schedule',
	sql: `
CREATE TABLE buses (
	id TEXT PRIMARY KEY,
	anct_id TEXT NOT NULL,
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('bus', 'itinerant')),
	departement TEXT NOT NULL,
	territory TEXT NOT NULL,
	time_zone TEXT NOT NULL,
	home_insee TEXT NOT NULL,
	home_commune TEXT NOT NULL,
	home_postal_code TEXT NOT NULL,
	home_address TEXT NOT NULL,
	latitude REAL NOT NULL,
	longitude REAL NOT NULL,
	phone TEXT,
	email TEXT,
	takes_appointments INTEGER NOT NULL CHECK (takes_appointments IN (0, 1)),
	updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX buses_anct_id ON buses (anct_id);

CREATE TABLE stops (
	id TEXT PRIMARY KEY,
	bus_id TEXT NOT NULL REFERENCES buses (id),
	insee TEXT NOT NULL,
	commune TEXT NOT NULL,
	postal_code TEXT NOT NULL,
	place TEXT NOT NULL,
	address TEXT,
	access_notes TEXT,
	latitude REAL NOT NULL,
	longitude REAL NOT NULL,
	updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX stops_bus ON stops (bus_id);
-- Public pages and calendars are per commune.
CREATE INDEX stops_insee ON stops (insee);

CREATE TABLE circuits (
	id TEXT PRIMARY KEY,
	bus_id TEXT NOT NULL REFERENCES buses (id),
	name TEXT NOT NULL,
	-- The rules (domain CircuitRule[]) as JSON: they are read and written whole, never queried inside.
	rules TEXT NOT NULL CHECK (json_valid(rules) AND json_type(rules) = 'array'),
	updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX circuits_bus ON circuits (bus_id);

CREATE TABLE service_days (
	id TEXT PRIMARY KEY,
	bus_id TEXT NOT NULL REFERENCES buses (id),
	stop_id TEXT NOT NULL REFERENCES stops (id),
	-- Not a foreign key: rules live inside circuits.rules. NULL for a day added by hand.
	rule_id TEXT,
	date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	start_time TEXT NOT NULL CHECK (start_time GLOB '[0-2][0-9]:[0-5][0-9]'),
	end_time TEXT NOT NULL CHECK (end_time GLOB '[0-2][0-9]:[0-5][0-9]'),
	status TEXT NOT NULL CHECK (status IN ('planned', 'held', 'cancelled', 'moved')),
	reason TEXT,
	revision INTEGER NOT NULL DEFAULT 1,
	edited_at TEXT,
	updated_at TEXT NOT NULL,
	CHECK (start_time < end_time)
) STRICT;
CREATE INDEX service_days_bus_date ON service_days (bus_id, date, start_time);
CREATE INDEX service_days_stop_date ON service_days (stop_id, date, start_time);

CREATE TABLE meta (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at TEXT NOT NULL
) STRICT;
`
};
