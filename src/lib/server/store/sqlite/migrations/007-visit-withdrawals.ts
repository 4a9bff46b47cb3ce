/**
 * Withdrawn visits (issue 11, item 3): a crew withdraws a visit recorded by mistake the same day (a double
 * tap). The withdrawal is a record of its own, like a correction: the visit row stays, the withdrawal names
 * it, and every count of visits leaves it out (docs/sync-conflicts.md). One withdrawal per visit, so the
 * visit id is the key and a replay finds it.
 *
 * Counting a day's check-ins asks, for each visit, whether a correction replaces it: the index on the
 * visit a correction names answers that without reading every payload (visits without one are not indexed).
 */
import type { Migration } from '../migrate';

export const visitWithdrawals: Migration = {
	version: 7,
	name: 'visit-withdrawals',
	sql: `
CREATE TABLE visit_withdrawals (
	visit_id TEXT PRIMARY KEY REFERENCES visits (id),
	bus_id TEXT NOT NULL REFERENCES buses (id),
	device_id TEXT NOT NULL REFERENCES devices (id),
	-- The withdrawal as validated (visitId, at), JSON: a replay compares against it.
	payload TEXT NOT NULL CHECK (json_valid(payload)),
	-- Device clock, informative only.
	at TEXT NOT NULL,
	received_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX visits_correction_of ON visits (json_extract(payload, '$.correctionOf'))
	WHERE json_extract(payload, '$.correctionOf') IS NOT NULL;
`
};
