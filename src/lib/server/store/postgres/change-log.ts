/**
 * Reads of the PostgreSQL change log (rows are written by `log_change`, called from the triggers of migration
 * 1). Per bus, seq order is commit order (the function's per-bus lock), so a pull that reads after its cursor
 * never passes a change that commits later.
 */
import { toChangeRecord, type ChangeRow } from '../rows';
import type { ChangeLogRepository } from '../sync-store';
import type { PgConnection } from './connection';

/**
 * A pull's two reads: index scans (change-log-plan.spec.ts checks their plans), so a pull costs the same on a
 * log of 10,000 rows as on one of millions (`node scripts/bench/run.js pull-history`).
 */
export const LIST_FOR_BUS_SQL = `SELECT seq, entity, entity_id, op, data FROM change_log
	WHERE bus_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`;
export const LAST_SEQ_SQL = 'SELECT coalesce(max(seq), 0) AS seq FROM change_log';

export function createPgChangeLogRepository(connection: PgConnection): ChangeLogRepository {
	return {
		listForBus: async (busId, afterSeq, limit) =>
			(await connection.query<ChangeRow>(LIST_FOR_BUS_SQL, [busId, afterSeq, limit])).map(toChangeRecord),
		lastSeq: async () => {
			const [row] = await connection.query<{ seq: number }>(LAST_SEQ_SQL);
			return row?.seq ?? 0;
		}
	};
}
