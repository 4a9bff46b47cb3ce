/**
 * Member roles (issue 9): what a signed-in account may do is decided by its roles (src/lib/server/access,
 * docs/security.md). Accounts that existed before were all coordinators of the whole network: each becomes a
 * `coordinateur`. One row per role, so the check lists the allowed words and an account's roles are one indexed read.
 */
import type { Migration } from '../migrate';

export const memberRoles: Migration = {
	version: 5,
	name: 'member-roles',
	sql: `
CREATE TABLE member_roles (
	member_id TEXT NOT NULL REFERENCES coordinators (id) ON DELETE CASCADE,
	role TEXT NOT NULL CHECK (role IN ('coordinateur', 'national', 'admin', 'partenaire')),
	PRIMARY KEY (member_id, role)
) STRICT, WITHOUT ROWID;

INSERT INTO member_roles (member_id, role) SELECT id, 'coordinateur' FROM coordinators;
`
};
