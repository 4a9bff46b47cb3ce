/**
 * Coordinator accounts (issue 3): who may open /coordination, and their sign-in sessions.
 *
 * A password is kept only as a scrypt hash string (salt and parameters inside it). A session row's id is the
 * SHA-256 of the random token the browser holds in its cookie: a copy of this table cannot be replayed as a
 * cookie. Deleting a coordinator deletes their sessions; disabling one (`disabled_at`) ends them at once.
 */
import type { Migration } from '../migrate';

export const coordinators: Migration = {
	version: 3,
	name: 'coordinators',
	sql: `
CREATE TABLE coordinators (
	id TEXT PRIMARY KEY,
	-- Lower-cased by the application; the check keeps a stray upper-case copy out of the unique index.
	email TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
	display_name TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 80),
	password_hash TEXT NOT NULL,
	created_at TEXT NOT NULL,
	disabled_at TEXT
) STRICT;

CREATE TABLE coordinator_sessions (
	-- SHA-256 of the cookie's token, hex: the token itself is never stored.
	id TEXT PRIMARY KEY,
	coordinator_id TEXT NOT NULL REFERENCES coordinators (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	last_seen_at TEXT NOT NULL
) STRICT;
CREATE INDEX coordinator_sessions_coordinator ON coordinator_sessions (coordinator_id);
CREATE INDEX coordinator_sessions_expiry ON coordinator_sessions (expires_at);
`
};
