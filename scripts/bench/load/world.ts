/**
 * The load bench's network: 200 buses (one tablet each) with a stop in one of 20 communes and a service day a week
 * for 12 weeks from today, so that the public pages read during the load show as many days as a real network's.
 * Seeded through the store before the app processes start, as an operator's import would; the tablets' enrollment
 * codes issued the same way (what a coordinator does in the app), then used over HTTP by the tablets.
 *
 * After a scenario, `countStored` reads what the database holds, table by table, beside what the tablets pushed:
 * a lost record is one pushed and acknowledged but absent, a duplicated one a record stored twice.
 */
import type { Bus, ServiceDay, Stop } from '$lib/domain/schedule';
import { communeSlug } from '$lib/domain/commune-slug';
import { issueEnrollmentCode } from '$lib/server/sync/codes';
import { openPgDatabase } from '$lib/server/store/postgres/connection';
import { openDatabase } from '$lib/server/store/sqlite/connection';
import type { Store } from '$lib/server/store/store';
import { makeBus } from '$factories/bus';
import { makeServiceDay, makeStop } from '$factories/schedule';
import { seedSchedule } from '$factories/store';

export const TABLETS = 200;
const COMMUNES = 20;
const WEEKS = 12;

export interface Commune {
	insee: string;
	name: string;
	slug: string;
}

export interface TabletSeat {
	busId: string;
	/** Today's service day, the one the crew records its visits on. */
	day: ServiceDay;
	stopId: string;
	code: string;
}

export interface World {
	tablets: TabletSeat[];
	communes: Commune[];
}

/** Today in Paris (the buses' time zone), as a service day's date. */
export function today(now = new Date()): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(now);
}

function addDays(date: string, days: number): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const communes: Commune[] = Array.from({ length: COMMUNES }, (_, i) => {
	// Made-up communes of the Creuse numbering: the pages need names and codes, not real places.
	const insee = `23${String(500 + i).padStart(3, '0')}`;
	const name = `Val-d'Essai ${i + 1}`;
	return { insee, name, slug: communeSlug(name, insee) };
});

export async function seedWorld(store: Store): Promise<World> {
	const date = today();
	const buses: Bus[] = [];
	const stops: Stop[] = [];
	const days: ServiceDay[] = [];
	const seats: Omit<TabletSeat, 'code'>[] = [];
	for (let i = 0; i < TABLETS; i++) {
		const busId = `fs-${7000 + i}`;
		const commune = communes[i % COMMUNES] as Commune;
		const stop = makeStop({
			id: `${busId}-mairie`,
			busId,
			insee: commune.insee,
			commune: commune.name,
			postalCode: '23000',
			place: 'Place de la mairie',
			latitude: 46 + i / 1000,
			longitude: 2 + i / 1000
		});
		buses.push(makeBus({ id: busId, name: `France services itinérant ${i + 1}`, departement: '23' }));
		stops.push(stop);
		const weekly = Array.from({ length: WEEKS }, (_, week) => {
			const on = addDays(date, 7 * week);
			return makeServiceDay({
				id: `${busId}-essai@${on}`,
				busId,
				stopId: stop.id,
				ruleId: null,
				date: on,
				start: '09:00',
				end: '17:00'
			});
		});
		days.push(...weekly);
		seats.push({ busId, day: weekly[0] as ServiceDay, stopId: stop.id });
	}
	await seedSchedule({ buses, stops, days })(store);
	const tablets: TabletSeat[] = [];
	for (const seat of seats)
		tablets.push({ ...seat, code: (await issueEnrollmentCode(store, seat.busId)).code });
	return { tablets, communes };
}

/** What one table should hold after the load and what it holds. */
export interface TableCount {
	table: string;
	expected: number;
	/** Distinct records (by their key: id, or what makes a report or an event the same one). */
	distinct: number;
	rows: number;
}

/** Rows and distinct records of the tables a push writes, read with the app's own connection settings. */
const COUNTS: { table: string; sql: string }[] = [
	{ table: 'visits', sql: 'SELECT count(*) AS n, count(DISTINCT id) AS d FROM visits' },
	{ table: 'referrals', sql: 'SELECT count(*) AS n, count(DISTINCT id) AS d FROM referrals' },
	{
		table: 'referral_events',
		sql: "SELECT count(*) AS n, count(DISTINCT referral_id || '|' || status || '|' || at) AS d FROM referral_events"
	},
	{
		table: 'service_day_reports',
		sql: `SELECT count(*) AS n,
			count(DISTINCT device_id || '|' || service_day_id || '|' || report || '|' || at) AS d
			FROM service_day_reports`
	},
	{
		table: 'ledger (mutation_digests)',
		sql: "SELECT count(*) AS n, count(DISTINCT device_id || '|' || mutation_id) AS d FROM mutation_digests"
	},
	{
		table: 'ledger (devices.last_mutation_id)',
		sql: 'SELECT coalesce(sum(last_mutation_id), 0) AS n, coalesce(sum(last_mutation_id), 0) AS d FROM devices'
	},
	{ table: 'rejected_mutations', sql: 'SELECT count(*) AS n, count(*) AS d FROM rejected_mutations' }
];

export type Database = { engine: 'postgres'; url: string } | { engine: 'sqlite'; file: string };

export async function countStored(
	database: Database,
	expected: Record<string, number>
): Promise<TableCount[]> {
	const read = await openReader(database);
	try {
		const counts: TableCount[] = [];
		for (const { table, sql } of COUNTS) {
			const { n, d } = await read(sql);
			counts.push({ table, expected: expected[table] ?? 0, rows: Number(n), distinct: Number(d) });
		}
		return counts;
	} finally {
		await read.close();
	}
}

type Reader = ((sql: string) => Promise<{ n: unknown; d: unknown }>) & { close(): Promise<void> };

async function openReader(database: Database): Promise<Reader> {
	if (database.engine === 'postgres') {
		const db = openPgDatabase(database.url, { max: 1 });
		const read = async (sql: string) => {
			const [row] = await db.query<{ n: unknown; d: unknown }>(sql);
			if (!row) throw new Error(`no row: ${sql}`);
			return row;
		};
		return Object.assign(read, { close: () => db.close() });
	}
	const db = openDatabase(database.file);
	const read = async (sql: string) => db.prepare(sql).get() as { n: unknown; d: unknown };
	return Object.assign(read, { close: async () => void db.close() });
}

/** Lost: expected records absent. Duplicated: a record stored more than once. */
export function lostAndDuplicated(count: TableCount): { lost: number; duplicated: number; extra: number } {
	return {
		lost: Math.max(0, count.expected - count.distinct),
		duplicated: count.rows - count.distinct,
		// Distinct records beyond those pushed (none should exist: the database is the bench's own).
		extra: Math.max(0, count.distinct - count.expected)
	};
}
