import type { ThrottleRepository, ThrottleState } from '../store';
import { prepared } from './connection';
import type { Exec } from './exec';

export function createThrottleRepository(exec: Exec): ThrottleRepository {
	return {
		// A store transaction begins IMMEDIATE: it holds the database's write lock already.
		lock: () => exec(() => undefined),
		get: (scope, keys, nowMs) =>
			exec((db) => {
				const found = new Map<string, ThrottleState>();
				if (keys.length === 0) return found;
				const rows = prepared(
					db,
					`SELECT key, amount, at_ms FROM throttles
					WHERE scope = ? AND key IN (SELECT value FROM json_each(?)) AND forget_at_ms > ?`
				).all(scope, JSON.stringify(keys), nowMs) as { key: string; amount: number; at_ms: number }[];
				for (const row of rows) found.set(row.key, { amount: row.amount, atMs: row.at_ms });
				return found;
			}),
		put: (scope, key, state, forgetAtMs) =>
			exec((db) => {
				prepared(
					db,
					`INSERT INTO throttles (scope, key, amount, at_ms, forget_at_ms) VALUES (?, ?, ?, ?, ?)
					ON CONFLICT (scope, key) DO UPDATE SET amount = excluded.amount, at_ms = excluded.at_ms,
						forget_at_ms = excluded.forget_at_ms`
				).run(scope, key, state.amount, Math.round(state.atMs), Math.round(forgetAtMs));
			}),
		delete: (scope, key) =>
			exec((db) => {
				prepared(db, 'DELETE FROM throttles WHERE scope = ? AND key = ?').run(scope, key);
			}),
		sweep: (nowMs, limit) =>
			exec(
				(db) =>
					prepared(
						db,
						`DELETE FROM throttles WHERE (scope, key) IN (
							SELECT scope, key FROM throttles WHERE forget_at_ms <= ? ORDER BY forget_at_ms LIMIT ?)`
					).run(nowMs, limit).changes
			),
		count: () =>
			exec((db) => (prepared(db, 'SELECT count(*) AS count FROM throttles').get() as { count: number }).count)
	};
}
