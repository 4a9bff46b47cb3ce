import type { MetaRepository } from '../store';
import { prepared } from './connection';
import type { Exec, Now } from './exec';

export function createMetaRepository(exec: Exec, now: Now): MetaRepository {
	return {
		get: (key) =>
			exec((db) => {
				const row = prepared(db, 'SELECT value FROM meta WHERE key = ?').get(key) as
					{ value: string } | undefined;
				return row?.value ?? null;
			}),
		set: (key, value) =>
			exec((db) => {
				prepared(
					db,
					`INSERT INTO meta (key, value, updated_at) VALUES (?, ?, ?)
					ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`
				).run(key, value, now());
			}),
		claim: (key, value) =>
			exec((db) => {
				prepared(
					db,
					'INSERT INTO meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING'
				).run(key, value, now());
				const row = prepared(db, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string };
				return row.value;
			})
	};
}
