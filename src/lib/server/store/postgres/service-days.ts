/**
 * The PostgreSQL service day repository (issue 12): the same semantics as sqlite/service-days.ts. A day a
 * coordinator edited is never overwritten by a generation, and a generation repeated unchanged rewrites
 * nothing (each write is a change tablets pull, logged by the table's trigger). A generated batch is three
 * statements in one transaction: insert the new ids, regenerate the unedited days whose content changed,
 * count the edited days left alone.
 */
import type { ServiceDay } from '$lib/domain/schedule';
import type { Now } from '../sqlite/exec';
import type {
	GeneratedDaysResult,
	OffPlanServiceDay,
	ServiceDayRepository,
	StoredServiceDay
} from '../store';
import { rounds } from './batch';
import type { PgScope } from './scope';

interface ServiceDayRow {
	id: string;
	bus_id: string;
	stop_id: string;
	rule_id: string | null;
	date: string;
	start_time: string;
	end_time: string;
	status: ServiceDay['status'];
	reason: string | null;
	revision: number;
	edited_at: string | null;
	off_plan: boolean;
}

/** The columns a generation or an edit may set (all text). */
const CONTENT = [
	'bus_id',
	'stop_id',
	'rule_id',
	'date',
	'start_time',
	'end_time',
	'status',
	'reason'
] as const;
type ContentRow = Pick<ServiceDayRow, (typeof CONTENT)[number]> & { id: string };

const ALL = `id, ${CONTENT.join(', ')}, revision, edited_at, off_plan`;

/** The batch as unnest of $1 (ids) and $2.. (the content columns), named `batch`. */
const BATCH = `unnest($1::text[], ${CONTENT.map((_, i) => `$${i + 2}::text[]`).join(', ')})
	WITH ORDINALITY AS batch (id, ${CONTENT.join(', ')}, position)`;
const UPDATED_AT = `$${CONTENT.length + 2}`;

// A concurrent generation may have inserted an id since: DO NOTHING leaves it to the regeneration below.
const INSERT_NEW = `INSERT INTO service_days (id, ${CONTENT.join(', ')}, revision, edited_at, updated_at)
	SELECT id, ${CONTENT.join(', ')}, 1, NULL, ${UPDATED_AT} FROM ${BATCH} ORDER BY position
	ON CONFLICT (id) DO NOTHING RETURNING id`;
// Only unedited days whose content really changed (IS DISTINCT FROM is SQLite's IS NOT): days just inserted
// match their content, so they are not touched twice.
const REGENERATE = `UPDATE service_days AS d SET ${CONTENT.map((c) => `${c} = batch.${c}`).join(', ')},
		revision = d.revision + 1, updated_at = ${UPDATED_AT}
	FROM ${BATCH}
	WHERE d.id = batch.id AND d.edited_at IS NULL
		AND (${CONTENT.map((c) => `d.${c}`).join(', ')}) IS DISTINCT FROM (${CONTENT.map((c) => `batch.${c}`).join(', ')})
	RETURNING d.id`;
const COUNT_EDITED = `SELECT count(*)::integer AS n FROM service_days WHERE id = ANY($1::text[]) AND edited_at IS NOT NULL`;

const EDIT = `UPDATE service_days SET ${CONTENT.map((c, i) => `${c} = $${i + 2}`).join(', ')},
		revision = revision + 1, edited_at = $${CONTENT.length + 2}, updated_at = $${CONTENT.length + 2}
	WHERE id = $1 RETURNING ${ALL}`;
// An off-plan day is the crew's: held from the start, never regenerated (no rule has its id).
const INSERT_OFF_PLAN = `INSERT INTO service_days (id, ${CONTENT.join(', ')}, revision, edited_at, updated_at, off_plan)
	VALUES ($1, ${CONTENT.map((_, i) => `$${i + 2}`).join(', ')}, 1, NULL, $${CONTENT.length + 2}, true)`;

const SELECT = `SELECT ${ALL} FROM service_days`;
// Dates and times are fixed-width digits (checked by the schema); ids sort in byte order as SQLite's BINARY.
const ORDER = 'ORDER BY date, start_time, id COLLATE "C"';

// The ranges travel as three arrays, so the read is one statement whatever the number of buses.
const COUNT_BY_BUS = `SELECT d.bus_id, count(*)::integer AS days,
		count(*) FILTER (WHERE d.status = 'cancelled')::integer AS cancelled
	FROM unnest($1::text[], $2::text[], $3::text[]) AS r (bus_id, date_from, date_to)
	JOIN service_days d ON d.bus_id = r.bus_id AND d.date BETWEEN r.date_from AND r.date_to
	GROUP BY d.bus_id`;

function toContent(day: ServiceDay): ContentRow {
	return {
		id: day.id,
		bus_id: day.busId,
		stop_id: day.stopId,
		rule_id: day.ruleId,
		date: day.date,
		start_time: day.start,
		end_time: day.end,
		status: day.status,
		reason: day.reason
	};
}

function fromRow(row: ServiceDayRow): StoredServiceDay {
	return {
		id: row.id,
		busId: row.bus_id,
		stopId: row.stop_id,
		ruleId: row.rule_id,
		date: row.date,
		start: row.start_time,
		end: row.end_time,
		status: row.status,
		reason: row.reason,
		revision: row.revision,
		editedAt: row.edited_at,
		...(row.off_plan ? { offPlan: true as const } : {})
	};
}

export function createPgServiceDayRepository(scope: PgScope, now: Now): ServiceDayRepository {
	return {
		upsertGenerated: async (days) => {
			const result: GeneratedDaysResult = { inserted: 0, updated: 0, keptEdited: 0 };
			if (days.length === 0) return result;
			const updatedAt = now();
			// What must stay true: a day a coordinator edited is never overwritten, and the batch lands whole.
			return scope.atomic(async (connection) => {
				// One round unless an id repeats; a repeated id is written again as SQLite's loop writes it.
				for (const batch of rounds(days)) {
					const rows = batch.map(toContent);
					const params = [
						rows.map((row) => row.id),
						...CONTENT.map((c) => rows.map((row) => row[c])),
						updatedAt
					];
					result.inserted += (await connection.query(INSERT_NEW, params)).length;
					result.updated += (await connection.query(REGENERATE, params)).length;
					const [edited] = await connection.query<{ n: number }>(COUNT_EDITED, [params[0]]);
					result.keptEdited += edited?.n ?? 0;
				}
				return result;
			});
		},
		edit: async (day, editedAt) => {
			const content = toContent(day);
			const [row] = await scope.query<ServiceDayRow>(EDIT, [
				content.id,
				...CONTENT.map((c) => content[c]),
				editedAt
			]);
			return row ? fromRow(row) : null;
		},
		insertOffPlan: async (day, at) => {
			const content = toContent(day);
			await scope.query(INSERT_OFF_PLAN, [content.id, ...CONTENT.map((c) => content[c]), at]);
		},
		listOffPlan: async (range, limit) =>
			(
				await scope.query<
					ServiceDayRow & {
						stop_insee: string;
						stop_commune: string;
						stop_postal_code: string;
						stop_place: string;
					}
				>(
					`SELECT d.id, ${CONTENT.map((c) => `d.${c}`).join(', ')}, d.revision, d.edited_at, d.off_plan,
						s.insee AS stop_insee, s.commune AS stop_commune, s.postal_code AS stop_postal_code,
						s.place AS stop_place
					FROM service_days d JOIN stops s ON s.id = d.stop_id
					WHERE d.off_plan AND d.date BETWEEN $1 AND $2
					ORDER BY d.date DESC, d.start_time DESC, d.id COLLATE "C" LIMIT $3`,
					[range.from, range.to, limit]
				)
			).map((row): OffPlanServiceDay => ({
				...fromRow(row),
				stop: {
					id: row.stop_id,
					insee: row.stop_insee,
					commune: row.stop_commune,
					postalCode: row.stop_postal_code,
					place: row.stop_place
				}
			})),
		get: async (id) => {
			const [row] = await scope.query<ServiceDayRow>(`${SELECT} WHERE id = $1`, [id]);
			return row ? fromRow(row) : null;
		},
		listByBus: async (busId, range) =>
			(
				await scope.query<ServiceDayRow>(`${SELECT} WHERE bus_id = $1 AND date BETWEEN $2 AND $3 ${ORDER}`, [
					busId,
					range.from,
					range.to
				])
			).map(fromRow),
		listByStop: async (stopId, range) =>
			(range
				? await scope.query<ServiceDayRow>(
						`${SELECT} WHERE stop_id = $1 AND date BETWEEN $2 AND $3 ${ORDER}`,
						[stopId, range.from, range.to]
					)
				: await scope.query<ServiceDayRow>(`${SELECT} WHERE stop_id = $1 ${ORDER}`, [stopId])
			).map(fromRow),
		listByStops: async (stopIds, range) =>
			stopIds.length === 0
				? []
				: (
						await scope.query<ServiceDayRow>(
							`${SELECT} WHERE stop_id = ANY($1::text[]) AND date BETWEEN $2 AND $3 ${ORDER}`,
							[stopIds, range.from, range.to]
						)
					).map(fromRow),
		listBetween: async (range, limit) =>
			(
				await scope.query<ServiceDayRow>(`${SELECT} WHERE date BETWEEN $1 AND $2 ${ORDER} LIMIT $3`, [
					range.from,
					range.to,
					limit
				])
			).map(fromRow),
		countByBus: async (ranges) => {
			if (ranges.length === 0) return new Map();
			const rows = await scope.query<{ bus_id: string; days: number; cancelled: number }>(COUNT_BY_BUS, [
				ranges.map((r) => r.busId),
				ranges.map((r) => r.range.from),
				ranges.map((r) => r.range.to)
			]);
			return new Map(rows.map((row) => [row.bus_id, { days: row.days, cancelled: row.cancelled }]));
		}
	};
}
