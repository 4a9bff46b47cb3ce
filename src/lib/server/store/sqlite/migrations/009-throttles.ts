/**
 * Throttles (issue 12, item 4): the sign-in brake and the enrollment limits leave the process's memory for the
 * database, so that several app processes on one database brake the same attacker as one process would, and a
 * restart forgets nothing. A row is one throttled key of one scope: `amount` is attempts made (a growing delay)
 * or tokens left (a bucket), `at_ms` the time that amount refers to. Keys are HMACs under a server secret: no
 * email or client address is stored. `forget_at_ms` says when the row no longer matters; rows past it are swept.
 */
import type { Migration } from '../migrate';

export const throttles: Migration = {
	version: 9,
	name: 'throttles',
	sql: `
CREATE TABLE throttles (
	scope TEXT NOT NULL,
	key TEXT NOT NULL,
	amount REAL NOT NULL,
	at_ms INTEGER NOT NULL,
	forget_at_ms INTEGER NOT NULL,
	PRIMARY KEY (scope, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX throttles_forget ON throttles (forget_at_ms);
`
};
