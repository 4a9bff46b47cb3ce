/**
 * The PostgreSQL meta repository (issue 12): small facts about the database (the demo seed date, the
 * reference version, secrets), one row per key, as the SQLite adapter keeps them.
 */
import type { Now } from '../sqlite/exec';
import type { MetaRepository } from '../store';
import type { PgScope } from './scope';

export function createPgMetaRepository(scope: PgScope, now: Now): MetaRepository {
	return {
		get: async (key) => {
			const [row] = await scope.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]);
			return row?.value ?? null;
		},
		set: async (key, value) => {
			await scope.query(
				`INSERT INTO meta (key, value, updated_at) VALUES ($1, $2, $3)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
				[key, value, now()]
			);
		},
		claim: async (key, value) => {
			// A claim that meets another's uncommitted row waits for it, then does nothing; the read that follows
			// (a statement of its own, so a fresh snapshot) sees the row that won.
			await scope.query(
				'INSERT INTO meta (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING',
				[key, value, now()]
			);
			const [row] = await scope.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]);
			if (!row) throw new Error(`meta ${key}: the claimed row is missing.`);
			return row.value;
		}
	};
}
