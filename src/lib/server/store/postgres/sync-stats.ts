/**
 * Row counts of the sync tables on PostgreSQL (tests, the coordination page): the same answer as
 * sqlite/change-log.ts's `countRows`, read in one query rather than one per table.
 */
import type { SyncStatsRepository, SyncTable } from '../sync-store';
import type { PgConnection } from './connection';

/** Every SyncTable, checked exhaustive by the compiler: the table names are this fixed list, never input. */
const SYNC_TABLES = Object.keys({
	devices: true,
	enrollment_codes: true,
	visits: true,
	visit_withdrawals: true,
	referrals: true,
	referral_events: true,
	service_day_reports: true,
	rejected_mutations: true,
	mutation_digests: true,
	change_log: true
} satisfies Record<SyncTable, true>) as SyncTable[];

const COUNT_SQL = `SELECT ${SYNC_TABLES.map(
	(table) => `(SELECT count(*)::integer FROM ${table}) AS ${table}`
).join(', ')}`;

export function createPgSyncStatsRepository(connection: PgConnection): SyncStatsRepository {
	return {
		countRows: async () => {
			const [row] = await connection.query<Record<SyncTable, number>>(COUNT_SQL);
			if (!row) throw new Error('The sync row counts returned no row.');
			const counts = {} as Record<SyncTable, number>;
			for (const table of SYNC_TABLES) counts[table] = row[table];
			return counts;
		}
	};
}
