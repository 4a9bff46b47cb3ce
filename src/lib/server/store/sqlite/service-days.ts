import type { ServiceDay } from '$lib/domain/schedule';
import type {
	GeneratedDaysResult,
	OffPlanServiceDay,
	ServiceDayRepository,
	StoredServiceDay
} from '../store';
import { prepared } from './connection';
import type { Exec, Now } from './exec';

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
	off_plan: 0 | 1;
}

/** The columns a generation or an edit may set, in the order of the statements below. */
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
type ContentRow = Pick<ServiceDayRow, (typeof CONTENT)[number]>;

const INSERT = `INSERT INTO service_days (id, ${CONTENT.join(', ')}, revision, edited_at, updated_at)
	VALUES (@id, ${CONTENT.map((c) => `@${c}`).join(', ')}, 1, NULL, @updated_at)`;
const SET_CONTENT = CONTENT.map((c) => `${c} = @${c}`).join(', ');
// Regeneration touches only unedited days whose content really changed, so repeating it is a no-op.
const REGENERATE = `UPDATE service_days SET ${SET_CONTENT}, revision = revision + 1, updated_at = @updated_at
	WHERE id = @id AND edited_at IS NULL
		AND (${CONTENT.join(', ')}) IS NOT (${CONTENT.map((c) => `@${c}`).join(', ')})`;
const EDIT = `UPDATE service_days SET ${SET_CONTENT}, revision = revision + 1, edited_at = @edited_at,
	updated_at = @edited_at WHERE id = @id`;
// An off-plan day is the crew's: held from the start, never regenerated (no rule has its id).
const INSERT_OFF_PLAN = `INSERT INTO service_days (id, ${CONTENT.join(', ')}, revision, edited_at, updated_at, off_plan)
	VALUES (@id, ${CONTENT.map((c) => `@${c}`).join(', ')}, 1, NULL, @updated_at, 1)`;
const ORDER = 'ORDER BY date, start_time, id';
// The ranges travel as one JSON parameter, so the read is one statement whatever the number of buses.
const COUNT_BY_BUS = `WITH ranges (bus_id, date_from, date_to) AS (
		SELECT json_extract(value, '$.busId'), json_extract(value, '$.from'), json_extract(value, '$.to')
		FROM json_each(?)
	)
	SELECT d.bus_id AS bus_id, count(*) AS days, sum(d.status = 'cancelled') AS cancelled
	FROM ranges r JOIN service_days d ON d.bus_id = r.bus_id AND d.date BETWEEN r.date_from AND r.date_to
	GROUP BY d.bus_id`;

function toContent(day: ServiceDay): ContentRow & { id: string } {
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
		...(row.off_plan === 1 ? { offPlan: true as const } : {})
	};
}

export function createServiceDayRepository(exec: Exec, now: Now): ServiceDayRepository {
	const get = (id: string) =>
		exec((db) => {
			const row = prepared(db, 'SELECT * FROM service_days WHERE id = ?').get(id) as
				ServiceDayRow | undefined;
			return row ? fromRow(row) : null;
		});

	return {
		upsertGenerated: (days) =>
			exec((db) => {
				const result: GeneratedDaysResult = { inserted: 0, updated: 0, keptEdited: 0 };
				const updatedAt = now();
				// What must stay true: a day a coordinator edited is never overwritten, and the batch lands whole.
				db.transaction(() => {
					for (const day of days) {
						const row = { ...toContent(day), updated_at: updatedAt };
						const existing = prepared(db, 'SELECT edited_at FROM service_days WHERE id = ?').get(day.id) as
							Pick<ServiceDayRow, 'edited_at'> | undefined;
						if (!existing) {
							prepared(db, INSERT).run(row);
							result.inserted++;
						} else if (existing.edited_at !== null) {
							result.keptEdited++;
						} else if (prepared(db, REGENERATE).run(row).changes > 0) {
							result.updated++;
						}
					}
				})();
				return result;
			}),
		edit: (day, editedAt) =>
			exec((db) => {
				const changes = prepared(db, EDIT).run({ ...toContent(day), edited_at: editedAt }).changes;
				if (changes === 0) return null;
				return fromRow(prepared(db, 'SELECT * FROM service_days WHERE id = ?').get(day.id) as ServiceDayRow);
			}),
		insertOffPlan: (day, at) =>
			exec((db) => {
				prepared(db, INSERT_OFF_PLAN).run({ ...toContent(day), updated_at: at });
			}),
		listOffPlan: (range, limit) =>
			exec((db) =>
				(
					prepared(
						db,
						`SELECT d.*, s.insee AS stop_insee, s.commune AS stop_commune, s.postal_code AS stop_postal_code,
							s.place AS stop_place
						FROM service_days d JOIN stops s ON s.id = d.stop_id
						WHERE d.off_plan = 1 AND d.date BETWEEN ? AND ?
						ORDER BY d.date DESC, d.start_time DESC, d.id LIMIT ?`
					).all(range.from, range.to, limit) as (ServiceDayRow & {
						stop_insee: string;
						stop_commune: string;
						stop_postal_code: string;
						stop_place: string;
					})[]
				).map((row): OffPlanServiceDay => ({
					...fromRow(row),
					stop: {
						id: row.stop_id,
						insee: row.stop_insee,
						commune: row.stop_commune,
						postalCode: row.stop_postal_code,
						place: row.stop_place
					}
				}))
			),
		get,
		listByBus: (busId, range) =>
			exec((db) =>
				(
					prepared(db, `SELECT * FROM service_days WHERE bus_id = ? AND date BETWEEN ? AND ? ${ORDER}`).all(
						busId,
						range.from,
						range.to
					) as ServiceDayRow[]
				).map(fromRow)
			),
		listByStop: (stopId, range) =>
			exec((db) => {
				const rows = range
					? prepared(
							db,
							`SELECT * FROM service_days WHERE stop_id = ? AND date BETWEEN ? AND ? ${ORDER}`
						).all(stopId, range.from, range.to)
					: prepared(db, `SELECT * FROM service_days WHERE stop_id = ? ${ORDER}`).all(stopId);
				return (rows as ServiceDayRow[]).map(fromRow);
			}),
		listByStops: (stopIds, range) =>
			exec((db) =>
				stopIds.length === 0
					? []
					: (
							prepared(
								db,
								`SELECT * FROM service_days WHERE stop_id IN (SELECT value FROM json_each(?))
								AND date BETWEEN ? AND ? ${ORDER}`
							).all(JSON.stringify(stopIds), range.from, range.to) as ServiceDayRow[]
						).map(fromRow)
			),
		listBetween: (range, limit) =>
			exec((db) =>
				(
					prepared(db, `SELECT * FROM service_days WHERE date BETWEEN ? AND ? ${ORDER} LIMIT ?`).all(
						range.from,
						range.to,
						limit
					) as ServiceDayRow[]
				).map(fromRow)
			),
		countByBus: (ranges) =>
			exec((db) => {
				const json = JSON.stringify(ranges.map(({ busId, range }) => ({ busId, ...range })));
				const rows = prepared(db, COUNT_BY_BUS).all(json) as {
					bus_id: string;
					days: number;
					cancelled: number;
				}[];
				return new Map(rows.map((row) => [row.bus_id, { days: row.days, cancelled: row.cancelled }]));
			})
	};
}
