/** Reads of the change log (rows are written by the triggers of migration 002) and sync row counts. */
import { toChangeRecord, type ChangeRow } from '../rows';
import type { ChangeLogRepository, SyncStatsRepository, SyncTable } from '../sync-store';
import { prepared } from './connection';
import type { Exec } from './exec';

/**
 * A pull's two reads. Both are index searches (change_log.spec.ts checks their plans), so a pull costs the
 * same on a log of 10,000 rows as on one of millions (`node scripts/bench/run.js pull-history`).
 */
export const LIST_FOR_BUS_SQL =
	'SELECT seq, entity, entity_id, op, data FROM change_log WHERE bus_id = ? AND seq > ? ORDER BY seq LIMIT ?';
export const LAST_SEQ_SQL = 'SELECT COALESCE(MAX(seq), 0) AS seq FROM change_log';

export function createChangeLogRepository(exec: Exec): ChangeLogRepository {
	return {
		listForBus: (busId, afterSeq, limit) =>
			exec((db) =>
				(prepared(db, LIST_FOR_BUS_SQL).all(busId, afterSeq, limit) as ChangeRow[]).map(toChangeRecord)
			),
		lastSeq: () => exec((db) => (prepared(db, LAST_SEQ_SQL).get() as { seq: number }).seq)
	};
}

const SYNC_TABLES: readonly SyncTable[] = [
	'devices',
	'enrollment_codes',
	'visits',
	'visit_withdrawals',
	'referrals',
	'referral_events',
	'service_day_reports',
	'rejected_mutations',
	'mutation_digests',
	'change_log'
];

export function createSyncStatsRepository(exec: Exec): SyncStatsRepository {
	return {
		countRows: () =>
			exec((db) => {
				const counts = {} as Record<SyncTable, number>;
				for (const table of SYNC_TABLES) {
					counts[table] = (prepared(db, `SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
				}
				return counts;
			})
	};
}
