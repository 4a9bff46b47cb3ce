/**
 * Reads of the PostgreSQL change log (rows are written by `log_change`, called from the triggers of migration
 * 1). Per bus, seq order is commit order (the function's per-bus lock), so a pull that reads after its cursor
 * never passes a change that commits later.
 */
import { toChangeRecord, type ChangeRow } from '../rows';
import type { ChangeLogRepository } from '../sync-store';
import type { PgConnection } from './connection';

export function createPgChangeLogRepository(connection: PgConnection): ChangeLogRepository {
	return {
		listForBus: async (busId, afterSeq, limit) =>
			(
				await connection.query<ChangeRow>(
					`SELECT seq, entity, entity_id, op, data FROM change_log
					WHERE bus_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
					[busId, afterSeq, limit]
				)
			).map(toChangeRecord),
		lastSeq: async () => {
			const [row] = await connection.query<{ seq: number }>(
				'SELECT coalesce(max(seq), 0) AS seq FROM change_log'
			);
			return row?.seq ?? 0;
		}
	};
}
