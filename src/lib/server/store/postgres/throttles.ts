import type { ThrottleRepository, ThrottleState } from '../store';
import type { PgConnection } from './connection';

export function createPgThrottleRepository(connection: PgConnection): ThrottleRepository {
	return {
		lock: async (keys) => {
			const names = [...new Set(keys.map(({ scope, key }) => `escale.throttle:${scope}:${key}`))].sort();
			for (const name of names) {
				await connection.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [name]);
			}
		},
		get: async (scope, keys, nowMs) => {
			const found = new Map<string, ThrottleState>();
			if (keys.length === 0) return found;
			const rows = await connection.query<{ key: string; amount: number; at_ms: number }>(
				'SELECT key, amount, at_ms FROM throttles WHERE scope = $1 AND key = ANY($2) AND forget_at_ms > $3',
				[scope, keys, nowMs]
			);
			for (const row of rows) found.set(row.key, { amount: row.amount, atMs: row.at_ms });
			return found;
		},
		put: async (scope, key, state, forgetAtMs) => {
			await connection.query(
				`INSERT INTO throttles (scope, key, amount, at_ms, forget_at_ms) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (scope, key) DO UPDATE SET amount = excluded.amount, at_ms = excluded.at_ms,
					forget_at_ms = excluded.forget_at_ms`,
				[scope, key, state.amount, Math.round(state.atMs), Math.round(forgetAtMs)]
			);
		},
		delete: async (scope, key) => {
			await connection.query('DELETE FROM throttles WHERE scope = $1 AND key = $2', [scope, key]);
		},
		sweep: async (nowMs, limit) => {
			const rows = await connection.query(
				`DELETE FROM throttles WHERE (scope, key) IN (
					SELECT scope, key FROM throttles WHERE forget_at_ms <= $1 ORDER BY forget_at_ms LIMIT $2)
				RETURNING 1`,
				[nowMs, limit]
			);
			return rows.length;
		},
		count: async () => {
			const [row] = await connection.query<{ count: number }>(
				'SELECT count(*)::integer AS count FROM throttles'
			);
			return row?.count ?? 0;
		}
	};
}
