/**
 * What tablets push (visits, referrals, status events, crew reports), the mutations refused and the digests of
 * those acknowledged, and the coordinators' referral moves, on PostgreSQL (issue 12, item 1). Same semantics,
 * method by method, as sqlite/sync-records.ts; every batch travels as arrays (`= ANY`, `unnest`) in one
 * statement. JSON text is written as given and read back as stored (`json`, not `jsonb`), and the contact purge
 * rewrites payloads in JavaScript rather than with `jsonb_set`, which would reorder their keys.
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
import type { PgConnection } from './connection';
import type { PgScope } from './scope';

/** A payload with its contact set to null, as SQLite's json_set(payload, '$.contact', NULL) writes it. */
const withoutContact = (json: string): string =>
	JSON.stringify({ ...(JSON.parse(json) as object), contact: null });

/** The referral as it may be stored now: without a contact once its status is final. */
function storable(referral: Referral): Referral {
	return isReferralFinal(referral.status) && referral.contact !== null
		? { ...referral, contact: null }
		: referral;
}

/**
 * Sets the contact of a referral that reached a final status to null where the server still holds it besides
 * the referral row: the change log entries tablets pull, and the payloads kept with refused mutations of that
 * referral. Runs on the connection of the write that made the status final, so both commit together. The
 * rows are read, rewritten here and written back in one UPDATE per table.
 */
async function purgeReferralContact(connection: PgConnection, referralId: string): Promise<void> {
	const logged = await connection.query<{ seq: number; data: string }>(
		`SELECT seq, data FROM change_log
			WHERE entity = 'referral' AND entity_id = $1 AND json_typeof(data -> 'contact') = 'object'`,
		[referralId]
	);
	if (logged.length > 0) {
		await connection.query(
			`UPDATE change_log SET data = purged.data::json
				FROM unnest($1::bigint[], $2::text[]) AS purged (seq, data) WHERE change_log.seq = purged.seq`,
			[logged.map((row) => row.seq), logged.map((row) => withoutContact(row.data))]
		);
	}
	// `->` on a payload that is not an object (the 'null' of a refused payload) is null: such rows are left.
	const refused = await connection.query<{ id: number; payload: string }>(
		`SELECT id, payload FROM rejected_mutations
			WHERE entity_id = $1 AND json_typeof(payload -> 'contact') = 'object'`,
		[referralId]
	);
	if (refused.length > 0) {
		await connection.query(
			`UPDATE rejected_mutations SET payload = purged.payload::json
				FROM unnest($1::bigint[], $2::text[]) AS purged (id, payload) WHERE rejected_mutations.id = purged.id`,
			[refused.map((row) => row.id), refused.map((row) => withoutContact(row.payload))]
		);
	}
}

const REJECTION_COLUMNS = 'device_id, bus_id, mutation_id, kind, entity_id, reason, detail, payload, at';

export function createPgSyncRecordRepository(scope: PgScope): SyncRecordRepository {
	return {
		getVisit: async (id) => {
			const [row] = await scope.query<{ bus_id: string; payload: string }>(
				'SELECT bus_id, payload FROM visits WHERE id = $1',
				[id]
			);
			return row ? { busId: row.bus_id, json: row.payload } : null;
		},
		getVisits: async (ids) => {
			const found = new Map<string, StoredVisit>();
			if (ids.length === 0) return found;
			// One statement whatever the count: the ids travel as one array parameter.
			const rows = await scope.query<{ id: string; bus_id: string; payload: string }>(
				'SELECT id, bus_id, payload FROM visits WHERE id = ANY($1::text[])',
				[ids]
			);
			for (const row of rows) found.set(row.id, { busId: row.bus_id, json: row.payload });
			return found;
		},
		insertVisit: async (visit, json, deviceId, receivedAt) => {
			await scope.query(
				`INSERT INTO visits (id, bus_id, service_day_id, device_id, payload, received_at)
					VALUES ($1, $2, $3, $4, $5::json, $6)`,
				[visit.id, visit.busId, visit.serviceDayId, deviceId, json, receivedAt]
			);
		},
		insertVisits: async (visits, deviceId, receivedAt) => {
			if (visits.length === 0) return;
			// One statement, so all or none; the rows go in the order given.
			await scope.query(
				`INSERT INTO visits (id, bus_id, service_day_id, device_id, payload, received_at)
					SELECT id, bus_id, service_day_id, $5, payload::json, $6
					FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY
						AS batch (id, bus_id, service_day_id, payload, n)
					ORDER BY n`,
				[
					visits.map(({ visit }) => visit.id),
					visits.map(({ visit }) => visit.busId),
					visits.map(({ visit }) => visit.serviceDayId),
					visits.map(({ json }) => json),
					deviceId,
					receivedAt
				]
			);
		},
		getVisitStanding: async (id) => {
			// The correction lookup matches the expression index visits_correction_of.
			const [row] = await scope.query<{ bus_id: string; replaced: boolean; withdrawal: string | null }>(
				`SELECT bus_id,
					EXISTS (SELECT 1 FROM visits AS c WHERE c.payload ->> 'correctionOf' = visits.id) AS replaced,
					(SELECT payload FROM visit_withdrawals WHERE visit_id = visits.id) AS withdrawal
				FROM visits WHERE id = $1`,
				[id]
			);
			return row ? { busId: row.bus_id, replaced: row.replaced, withdrawalJson: row.withdrawal } : null;
		},
		insertVisitWithdrawal: async (withdrawal, json, receivedAt) => {
			await scope.query(
				`INSERT INTO visit_withdrawals (visit_id, bus_id, device_id, payload, at, received_at)
					VALUES ($1, $2, $3, $4::json, $5, $6)`,
				[withdrawal.visitId, withdrawal.busId, withdrawal.deviceId, json, withdrawal.at, receivedAt]
			);
		},
		countVisitsByBus: async (busIds) => {
			const counts = new Map<string, number>();
			if (busIds.length === 0) return counts;
			// The current version of each check-in (no correction names it), unless it is withdrawn.
			const rows = await scope.query<{ bus_id: string; n: number }>(
				`SELECT bus_id, count(*)::integer AS n FROM visits
					WHERE bus_id = ANY($1::text[])
					AND NOT EXISTS (SELECT 1 FROM visits AS c WHERE c.payload ->> 'correctionOf' = visits.id)
					AND NOT EXISTS (SELECT 1 FROM visit_withdrawals AS w WHERE w.visit_id = visits.id)
					GROUP BY bus_id`,
				[busIds]
			);
			for (const row of rows) counts.set(row.bus_id, row.n);
			return counts;
		},
		getReferral: async (id) => {
			const [row] = await scope.query<ReferralRow>(
				`SELECT ${REFERRAL_COLUMNS} FROM referrals WHERE id = $1`,
				[id]
			);
			return row ? fromReferralRow(row) : null;
		},
		getReferrals: async (ids) => {
			if (ids.length === 0) return new Map();
			return referralsById(
				await scope.query<ReferralRow>(
					`SELECT ${REFERRAL_COLUMNS} FROM referrals WHERE id = ANY($1::text[])`,
					[ids]
				)
			);
		},
		listReferrals: async ({ busId, statuses }) => {
			if (statuses?.length === 0) return [];
			// A filter left out is a null parameter. Ordered as SQLite orders: no due date first, and text
			// compared byte by byte (COLLATE "C"), not by the database's locale.
			const rows = await scope.query<{ payload: string }>(
				`SELECT payload FROM referrals
					WHERE ($1::text IS NULL OR bus_id = $1) AND ($2::text[] IS NULL OR status = ANY($2::text[]))
					ORDER BY payload ->> 'dueDate' COLLATE "C" NULLS FIRST, received_at COLLATE "C", id COLLATE "C"`,
				[busId ?? null, statuses ?? null]
			);
			return rows.map((row) => JSON.parse(row.payload) as Referral);
		},
		listReferralsByBus: async (busId) => {
			const rows = await scope.query<{ payload: string }>(
				'SELECT payload FROM referrals WHERE bus_id = $1 ORDER BY received_at COLLATE "C", id COLLATE "C"',
				[busId]
			);
			return rows.map((row) => JSON.parse(row.payload) as Referral);
		},
		insertReferrals: (referrals, deviceId, receivedAt) => {
			if (referrals.length === 0) return Promise.resolve();
			const rows = referrals.map(({ referral, json }) => {
				const stored = storable(referral);
				const final = stored !== referral;
				return {
					referral,
					final,
					created: final ? withoutContact(json) : json,
					payload: final ? JSON.stringify(stored) : json
				};
			});
			const steps = referrals.flatMap(({ referral }) =>
				referral.history.map((step) => ({ id: referral.id, ...step }))
			);
			return scope.atomic(async (connection) => {
				// One statement per table, so all or none; the rows go in the order given.
				await connection.query(
					`INSERT INTO referrals (id, bus_id, visit_id, device_id, status, created_payload, payload, received_at,
						updated_at)
						SELECT id, bus_id, visit_id, $7, status, created::json, payload::json, $8, $8
						FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY
							AS batch (id, bus_id, visit_id, status, created, payload, n)
						ORDER BY n`,
					[
						rows.map(({ referral }) => referral.id),
						rows.map(({ referral }) => referral.busId),
						rows.map(({ referral }) => referral.visitId),
						rows.map(({ referral }) => referral.status),
						rows.map(({ created }) => created),
						rows.map(({ payload }) => payload),
						deviceId,
						receivedAt
					]
				);
				// Created already final (closed on the tablet before its first push): no contact to keep.
				for (const { referral, final } of rows) {
					if (final) await purgeReferralContact(connection, referral.id);
				}
				if (steps.length > 0) {
					await connection.query(
						`INSERT INTO referral_events (referral_id, status, at, device_id, received_at)
							SELECT referral_id, status, at, $4, $5
							FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS step (referral_id, status, at, n)
							ORDER BY n`,
						[
							steps.map((step) => step.id),
							steps.map((step) => step.status),
							steps.map((step) => step.at),
							deviceId,
							receivedAt
						]
					);
				}
			});
		},
		moveReferral: (referral, deviceId, receivedAt) => {
			const step = referral.history.at(-1);
			const isFinal = isReferralFinal(referral.status);
			// The move and the purge of the contact commit together or not at all.
			return scope.atomic(async (connection) => {
				let created: string | null = null;
				if (isFinal) {
					const [row] = await connection.query<{ created_payload: string }>(
						'SELECT created_payload FROM referrals WHERE id = $1 FOR UPDATE',
						[referral.id]
					);
					if (row) created = withoutContact(row.created_payload);
				}
				await connection.query(
					`UPDATE referrals SET status = $1, payload = $2::json, updated_at = $3,
						created_payload = coalesce($4::json, created_payload) WHERE id = $5`,
					[referral.status, JSON.stringify(storable(referral)), receivedAt, created, referral.id]
				);
				await connection.query(
					`INSERT INTO referral_events (referral_id, status, at, device_id, received_at)
						VALUES ($1, $2, $3, $4, $5)`,
					[referral.id, referral.status, step?.at ?? receivedAt, deviceId, receivedAt]
				);
				if (isFinal) await purgeReferralContact(connection, referral.id);
			});
		},
		hasServiceDayReport: async (report) => {
			const rows = await scope.query(
				`SELECT 1 FROM service_day_reports WHERE service_day_id = $1 AND report = $2 AND at = $3
					AND delay_minutes IS NOT DISTINCT FROM $4::integer AND reason IS NOT DISTINCT FROM $5::text LIMIT 1`,
				[report.serviceDayId, report.report, report.at, report.delayMinutes, report.reason]
			);
			return rows.length > 0;
		},
		reportServiceDay: (report, status, reason, receivedAt) =>
			scope.atomic(async (connection) => {
				await connection.query(
					`INSERT INTO service_day_reports (service_day_id, bus_id, device_id, report, delay_minutes, reason, at,
						received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
					[
						report.serviceDayId,
						report.busId,
						report.deviceId,
						report.report,
						report.delayMinutes,
						report.reason,
						report.at,
						receivedAt
					]
				);
				// edited_at protects the reported status from a later regeneration of the circuit.
				await connection.query(
					`UPDATE service_days SET status = $1, reason = $2, revision = revision + 1,
						edited_at = coalesce(edited_at, $3), updated_at = $3 WHERE id = $4`,
					[status, reason, receivedAt, report.serviceDayId]
				);
			}),
		getRejection: async (deviceId, mutationId) => {
			const [row] = await scope.query<RejectionRow>(
				`SELECT ${REJECTION_COLUMNS} FROM rejected_mutations WHERE device_id = $1 AND mutation_id = $2`,
				[deviceId, mutationId]
			);
			return row ? fromRejectionRow(row) : null;
		},
		getRejections: async (deviceId, mutationIds) => {
			const found = new Map<number, RejectedMutationRecord>();
			if (mutationIds.length === 0) return found;
			// `= ANY` of an array probes the unique index once per id, however the ids are spread.
			const rows = await scope.query<RejectionRow>(
				`SELECT ${REJECTION_COLUMNS} FROM rejected_mutations
					WHERE device_id = $1 AND mutation_id = ANY($2::bigint[])`,
				[deviceId, mutationIds]
			);
			for (const row of rows) found.set(row.mutation_id, fromRejectionRow(row));
			return found;
		},
		insertRejection: async (r) => {
			await scope.query(
				`INSERT INTO rejected_mutations (${REJECTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::json, $9)`,
				[r.deviceId, r.busId, r.mutationId, r.kind, r.entityId, r.reason, r.detail, r.payload, r.at]
			);
		},
		getMutationDigests: async (deviceId, mutationIds) => {
			const found = new Map<number, string>();
			if (mutationIds.length === 0) return found;
			const rows = await scope.query<{ mutation_id: number; digest: string }>(
				`SELECT mutation_id, encode(digest, 'hex') AS digest FROM mutation_digests
					WHERE device_id = $1 AND mutation_id = ANY($2::bigint[])`,
				[deviceId, mutationIds]
			);
			for (const row of rows) found.set(row.mutation_id, row.digest);
			return found;
		},
		getDigestPrefixRange: async (deviceId, first, last, prefixBytes) => {
			// One row back, whatever the range: the prefixes are joined by the server, in id order.
			const [row] = await scope.query<{ count: number; text: string }>(
				`SELECT count(*)::integer AS count,
					coalesce(string_agg(encode(substring(digest from 1 for $1::integer), 'hex'), '' ORDER BY mutation_id), '')
						AS text
				FROM mutation_digests WHERE device_id = $2 AND mutation_id BETWEEN $3 AND $4`,
				[prefixBytes, deviceId, first, last]
			);
			return { count: row?.count ?? 0, text: row?.text ?? '' };
		},
		insertMutationDigests: async (deviceId, digests) => {
			if (digests.length === 0) return;
			// One statement, so all or none.
			await scope.query(
				`INSERT INTO mutation_digests (device_id, mutation_id, digest)
					SELECT $1, mutation_id, decode(digest, 'hex')
					FROM unnest($2::bigint[], $3::text[]) AS batch (mutation_id, digest)`,
				[deviceId, digests.map((d) => d.mutationId), digests.map((d) => d.digest)]
			);
		},
		listRejections: async (busId, limit) => {
			const rows = await scope.query<RejectionRow>(
				`SELECT ${REJECTION_COLUMNS} FROM rejected_mutations WHERE bus_id = $1 ORDER BY id DESC LIMIT $2`,
				[busId, limit]
			);
			return rows.map(fromRejectionRow);
		},
		listRejectionsByBus: async (busIds, perBus) => {
			const rows = await scope.query<RejectionRow>(
				`SELECT ${REJECTION_COLUMNS} FROM (
					SELECT *, row_number() OVER (PARTITION BY bus_id ORDER BY id DESC) AS rank
					FROM rejected_mutations WHERE bus_id = ANY($1::text[])
				) AS ranked WHERE rank <= $2 ORDER BY bus_id COLLATE "C", id DESC`,
				[busIds, perBus]
			);
			return rows.map(fromRejectionRow);
		}
	};
}
