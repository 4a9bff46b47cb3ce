/**
 * The account is a member, not a coordinator (issue 10): `coordinateur` is one of a member's roles, and the
 * tables now say so. Renames only, no data touched: SQLite rewrites the foreign keys of `member_roles` and
 * `member_sessions` to the new table name, and the indexes follow their renamed columns (new names below).
 */
import type { Migration } from '../migrate';

export const members: Migration = {
	version: 6,
	name: 'members',
	sql: `
ALTER TABLE coordinators RENAME TO members;
ALTER TABLE coordinator_sessions RENAME TO member_sessions;
ALTER TABLE member_sessions RENAME COLUMN coordinator_id TO member_id;
DROP INDEX coordinator_sessions_coordinator;
DROP INDEX coordinator_sessions_expiry;
CREATE INDEX member_sessions_member ON member_sessions (member_id);
CREATE INDEX member_sessions_expiry ON member_sessions (expires_at);
`
};
