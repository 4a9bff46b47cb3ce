/**
 * What tablets push (visits, referrals, status events, crew reports) and the mutations refused, and the
 * coordinators' referral moves. A referral that reaches a final status loses its contact everywhere the
 * server holds it (see `purgeReferralContact`).
 */
import { isReferralFinal, type Referral } from '$lib/domain/referral';
import type { RejectedMutationRecord, StoredVisit, SyncRecordRepository } from '../sync-store';
import {
	fromReferralRow,
	fromRejectionRow,
	referralsById,
	REFERRAL_COLUMNS,
	type ReferralRow,
	type RejectionRow
} from '../rows';
import { prepared, type SqliteDatabase } from './connection';
import type { Exec } from './exec';

/**
 * Sets the contact of a referral that reached a final status to null where the server still holds it
 * besides the referral row (whose payloads the caller writes without it, in one UPDATE so the change log
 * gets one entry): every change log entry tablets pull (the log keeps history and would otherwise keep
 * the phone number), and the payloads kept with refused mutations of that referral. Called inside the
 * transaction of the write that made the status final: both commit together. The consent record stays:
 * it says a consent was given, not how to reach the person.
 */
function purgeReferralContact(db: SqliteDatabase, referralId: string): void {
	prepared(
		db,
		`UPDATE change_log SET data = json_set(data, '$.contact', NULL)
			WHERE entity = 'referral' AND entity_id = ? AND json_type(data, '$.contact') = 'object'`
	).run(referralId);
	prepared(
		db,
		`UPDATE rejected_mutations SET payload = json_set(payload, '$.contact', NULL)
			WHERE entity_id = ?
			AND (CASE WHEN json_valid(payload) THEN json_type(payload, '$.contact') END) = 'object'`
	).run(referralId);
}

/** A referral's JSON without its contact. */
const withoutContact = (json: string): string =>
	JSON.stringify({ ...(JSON.parse(json) as object), contact: null });

/** The referral as it may be stored now: without a contact once its status is final. */
function storable(referral: Referral): Referral {
	return isReferralFinal(referral.status) && referral.contact !== null
		? { ...referral, contact: null }
		: referral;
}

/** A referral and the events of its history; a referral created already final is stored without its contact. */
function insertReferralRows(
	db: SqliteDatabase,
	referral: Referral,
	json: string,
	deviceId: string,
	receivedAt: string
): void {
	const stored = storable(referral);
	prepared(
		db,
		`INSERT INTO referrals (id, bus_id, visit_id, device_id, status, created_payload, payload, received_at,
		updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
	).run(
		referral.id,
		referral.busId,
		referral.visitId,
		deviceId,
		referral.status,
		stored === referral ? json : withoutContact(json),
		stored === referral ? json : JSON.stringify(stored),
		receivedAt,
		receivedAt
	);
	// Created already final (closed on the tablet before its first push): no contact to keep.
	if (stored !== referral) purgeReferralContact(db, referral.id);
	const event = prepared(
		db,
		'INSERT INTO referral_events (referral_id, status, at, device_id, received_at) VALUES (?, ?, ?, ?, ?)'
	);
	for (const step of referral.history) event.run(referral.id, step.status, step.at, deviceId, receivedAt);
}

const INSERT_VISIT = `INSERT INTO visits (id, bus_id, service_day_id, device_id, payload, received_at)
	VALUES (?, ?, ?, ?, ?, ?)`;

/**
 * The rows of one device among `mutationIds`, in one statement: `select` ends with `mutation_id`, to which
 * a range or a list is appended. The ids of a push mostly follow each other (a replay: the whole batch),
 * so they are read as one range of the primary key (or of the UNIQUE index) and filtered here; ids spread
 * thinly travel as a JSON array, one lookup each, so a request cannot make the server read a long range.
 */
function selectByMutationIds(
	db: SqliteDatabase,
	select: string,
	deviceId: string,
	mutationIds: readonly number[]
): unknown[] {
	let low = Infinity;
	let high = -Infinity;
	for (const id of mutationIds) {
		low = Math.min(low, id);
		high = Math.max(high, id);
	}
	if (high - low < 2 * mutationIds.length) {
		const wanted = new Set(mutationIds);
		return (
			prepared(db, `${select} BETWEEN ? AND ?`).all(deviceId, low, high) as { mutation_id: number }[]
		).filter((row) => wanted.has(row.mutation_id));
	}
	return prepared(db, `${select} IN (SELECT value FROM json_each(?))`).all(
		deviceId,
		JSON.stringify(mutationIds)
	);
}

export function createSyncRecordRepository(exec: Exec): SyncRecordRepository {
	return {
		getVisit: (id) =>
			exec((db) => {
				const row = prepared(db, 'SELECT bus_id, payload FROM visits WHERE id = ?').get(id) as
					{ bus_id: string; payload: string } | undefined;
				return row ? { busId: row.bus_id, json: row.payload } : null;
			}),
		getVisits: (ids) =>
			exec((db) => {
				const found = new Map<string, StoredVisit>();
				if (ids.length === 0) return found;
				// One statement whatever the count: the ids travel as one JSON array, not one `?` each.
				const rows = prepared(
					db,
					'SELECT id, bus_id, payload FROM visits WHERE id IN (SELECT value FROM json_each(?))'
				).all(JSON.stringify(ids)) as { id: string; bus_id: string; payload: string }[];
				for (const row of rows) found.set(row.id, { busId: row.bus_id, json: row.payload });
				return found;
			}),
		insertVisit: (visit, json, deviceId, receivedAt) =>
			exec((db) => {
				prepared(db, INSERT_VISIT).run(visit.id, visit.busId, visit.serviceDayId, deviceId, json, receivedAt);
			}),
		insertVisits: (visits, deviceId, receivedAt) =>
			exec((db) => {
				if (visits.length === 0) return;
				const insert = prepared(db, INSERT_VISIT);
				// A savepoint inside a store transaction, a transaction of its own otherwise: all or none.
				db.transaction(() => {
					for (const { visit, json } of visits) {
						insert.run(visit.id, visit.busId, visit.serviceDayId, deviceId, json, receivedAt);
					}
				})();
			}),
		getVisitStanding: (id) =>
			exec((db) => {
				const row = prepared(
					db,
					`SELECT bus_id,
						EXISTS (SELECT 1 FROM visits AS c WHERE json_extract(c.payload, '$.correctionOf') = visits.id)
							AS replaced,
						(SELECT payload FROM visit_withdrawals WHERE visit_id = visits.id) AS withdrawal
					FROM visits WHERE id = ?`
				).get(id) as { bus_id: string; replaced: number; withdrawal: string | null } | undefined;
				return row
					? { busId: row.bus_id, replaced: row.replaced === 1, withdrawalJson: row.withdrawal }
					: null;
			}),
		insertVisitWithdrawal: (withdrawal, json, receivedAt) =>
			exec((db) => {
				prepared(
					db,
					`INSERT INTO visit_withdrawals (visit_id, bus_id, device_id, payload, at, received_at)
						VALUES (?, ?, ?, ?, ?, ?)`
				).run(withdrawal.visitId, withdrawal.busId, withdrawal.deviceId, json, withdrawal.at, receivedAt);
			}),
		countVisitsByBus: (busIds) =>
			exec((db) => {
				const counts = new Map<string, number>();
				if (busIds.length === 0) return counts;
				// The current version of each check-in (no correction names it), unless it is withdrawn: a
				// corrected-then-withdrawn check-in counts 0, a corrected one 1.
				const rows = prepared(
					db,
					`SELECT bus_id, COUNT(*) AS n FROM visits
						WHERE bus_id IN (SELECT value FROM json_each(?))
						AND NOT EXISTS (
							SELECT 1 FROM visits AS c WHERE json_extract(c.payload, '$.correctionOf') = visits.id
						)
						AND NOT EXISTS (SELECT 1 FROM visit_withdrawals AS w WHERE w.visit_id = visits.id)
						GROUP BY bus_id`
				).all(JSON.stringify(busIds)) as { bus_id: string; n: number }[];
				for (const row of rows) counts.set(row.bus_id, row.n);
				return counts;
			}),
		getReferral: (id) =>
			exec((db) => {
				const row = prepared(db, `SELECT ${REFERRAL_COLUMNS} FROM referrals WHERE id = ?`).get(id) as
					ReferralRow | undefined;
				return row ? fromReferralRow(row) : null;
			}),
		getReferrals: (ids) =>
			exec((db) => {
				if (ids.length === 0) return new Map();
				const rows = prepared(
					db,
					`SELECT ${REFERRAL_COLUMNS} FROM referrals WHERE id IN (SELECT value FROM json_each(?))`
				).all(JSON.stringify(ids)) as ReferralRow[];
				return referralsById(rows);
			}),
		listReferrals: ({ busId, statuses }) =>
			exec((db) => {
				if (statuses?.length === 0) return [];
				const where: string[] = [];
				const params: string[] = [];
				if (busId !== undefined) {
					where.push('bus_id = ?');
					params.push(busId);
				}
				if (statuses !== undefined) {
					where.push(`status IN (${statuses.map(() => '?').join(', ')})`);
					params.push(...statuses);
				}
				const sql = `SELECT payload FROM referrals ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
					ORDER BY json_extract(payload, '$.dueDate'), received_at, id`;
				return (prepared(db, sql).all(...params) as { payload: string }[]).map(
					(row) => JSON.parse(row.payload) as Referral
				);
			}),
		listReferralsByBus: (busId) =>
			exec((db) =>
				(
					prepared(db, 'SELECT payload FROM referrals WHERE bus_id = ? ORDER BY received_at, id').all(
						busId
					) as {
						payload: string;
					}[]
				).map((row) => JSON.parse(row.payload) as Referral)
			),
		insertReferrals: (referrals, deviceId, receivedAt) =>
			exec((db) => {
				db.transaction(() => {
					for (const { referral, json } of referrals)
						insertReferralRows(db, referral, json, deviceId, receivedAt);
				})();
			}),
		moveReferral: (referral, deviceId, receivedAt) =>
			exec((db) => {
				const step = referral.history.at(-1);
				// A savepoint inside a store transaction, a transaction of its own otherwise: the move and the
				// purge of the contact commit together or not at all.
				db.transaction(() => {
					const isFinal = isReferralFinal(referral.status);
					prepared(
						db,
						`UPDATE referrals SET status = ?, payload = ?, updated_at = ?,
							created_payload = CASE WHEN ? THEN json_set(created_payload, '$.contact', NULL)
								ELSE created_payload END
							WHERE id = ?`
					).run(
						referral.status,
						JSON.stringify(storable(referral)),
						receivedAt,
						isFinal ? 1 : 0,
						referral.id
					);
					prepared(
						db,
						'INSERT INTO referral_events (referral_id, status, at, device_id, received_at) VALUES (?, ?, ?, ?, ?)'
					).run(referral.id, referral.status, step?.at ?? receivedAt, deviceId, receivedAt);
					if (isFinal) purgeReferralContact(db, referral.id);
				})();
			}),
		hasServiceDayReport: (report) =>
			exec(
				(db) =>
					prepared(
						db,
						`SELECT 1 FROM service_day_reports WHERE service_day_id = ? AND report = ? AND at = ?
							AND delay_minutes IS ? AND reason IS ? LIMIT 1`
					).get(report.serviceDayId, report.report, report.at, report.delayMinutes, report.reason) !==
					undefined
			),
		reportServiceDay: (report, status, reason, receivedAt) =>
			exec((db) => {
				prepared(
					db,
					`INSERT INTO service_day_reports (service_day_id, bus_id, device_id, report, delay_minutes, reason, at,
						received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
				).run(
					report.serviceDayId,
					report.busId,
					report.deviceId,
					report.report,
					report.delayMinutes,
					report.reason,
					report.at,
					receivedAt
				);
				// edited_at protects the reported status from a later regeneration of the circuit.
				prepared(
					db,
					`UPDATE service_days SET status = ?, reason = ?, revision = revision + 1,
						edited_at = COALESCE(edited_at, ?), updated_at = ? WHERE id = ?`
				).run(status, reason, receivedAt, receivedAt, report.serviceDayId);
			}),
		getRejection: (deviceId, mutationId) =>
			exec((db) => {
				const row = prepared(
					db,
					'SELECT * FROM rejected_mutations WHERE device_id = ? AND mutation_id = ?'
				).get(deviceId, mutationId) as RejectionRow | undefined;
				return row ? fromRejectionRow(row) : null;
			}),
		getRejections: (deviceId, mutationIds) =>
			exec((db) => {
				const found = new Map<number, RejectedMutationRecord>();
				if (mutationIds.length === 0) return found;
				const rows = selectByMutationIds(
					db,
					'SELECT * FROM rejected_mutations WHERE device_id = ? AND mutation_id',
					deviceId,
					mutationIds
				) as RejectionRow[];
				for (const row of rows) found.set(row.mutation_id, fromRejectionRow(row));
				return found;
			}),
		insertRejection: (r) =>
			exec((db) => {
				prepared(
					db,
					`INSERT INTO rejected_mutations (device_id, bus_id, mutation_id, kind, entity_id, reason, detail, payload,
						at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
				).run(r.deviceId, r.busId, r.mutationId, r.kind, r.entityId, r.reason, r.detail, r.payload, r.at);
			}),
		getMutationDigests: (deviceId, mutationIds) =>
			exec((db) => {
				const found = new Map<number, string>();
				if (mutationIds.length === 0) return found;
				const rows = selectByMutationIds(
					db,
					'SELECT mutation_id, digest FROM mutation_digests WHERE device_id = ? AND mutation_id',
					deviceId,
					mutationIds
				) as { mutation_id: number; digest: Buffer }[];
				for (const row of rows) found.set(row.mutation_id, row.digest.toString('hex'));
				return found;
			}),
		getDigestPrefixRange: (deviceId, first, last, prefixBytes) =>
			exec((db) => {
				// One row back, whatever the range: the prefixes are joined by SQLite, in id order.
				const row = prepared(
					db,
					`SELECT count(*) AS count,
						coalesce(group_concat(lower(hex(substr(digest, 1, ?))), '' ORDER BY mutation_id), '') AS text
					FROM mutation_digests WHERE device_id = ? AND mutation_id BETWEEN ? AND ?`
				).get(prefixBytes, deviceId, first, last) as { count: number; text: string };
				return { count: row.count, text: row.text };
			}),
		insertMutationDigests: (deviceId, digests) =>
			exec((db) => {
				if (digests.length === 0) return;
				const insert = prepared(
					db,
					'INSERT INTO mutation_digests (device_id, mutation_id, digest) VALUES (?, ?, ?)'
				);
				// A savepoint inside a store transaction, a transaction of its own otherwise: all or none. One
				// prepared statement run per row is cheaper here than one statement over a JSON array.
				db.transaction(() => {
					for (const { mutationId, digest } of digests) {
						insert.run(deviceId, mutationId, Buffer.from(digest, 'hex'));
					}
				})();
			}),
		listRejections: (busId, limit) =>
			exec((db) =>
				(
					prepared(db, 'SELECT * FROM rejected_mutations WHERE bus_id = ? ORDER BY id DESC LIMIT ?').all(
						busId,
						limit
					) as RejectionRow[]
				).map(fromRejectionRow)
			),
		listRejectionsByBus: (busIds, perBus) =>
			exec((db) =>
				(
					prepared(
						db,
						`SELECT * FROM (
							SELECT *, row_number() OVER (PARTITION BY bus_id ORDER BY id DESC) AS rank
							FROM rejected_mutations WHERE bus_id IN (SELECT value FROM json_each(?))
						) WHERE rank <= ? ORDER BY bus_id, id DESC`
					).all(JSON.stringify(busIds), perBus) as RejectionRow[]
				).map(fromRejectionRow)
			)
	};
}
