/**
 * Rows as both engines read them back (snake_case columns, JSON as text, flags and numbers already plain) and
 * the records they become: one mapping per table, shared by sqlite/ and postgres/.
 */
import type { Referral } from '$lib/domain/referral';
import type { ChangeRecord, DeviceRecord, RejectedMutationRecord, StoredReferral } from './sync-store';

export interface DeviceRow {
	id: string;
	bus_id: string;
	secret_hash: string;
	app_version: string;
	created_at: string;
	revoked_at: string | null;
	last_mutation_id: number;
	last_seen_at: string | null;
}

export interface CodeRow {
	code_hash: string;
	bus_id: string;
	created_at: string;
	expires_at: string;
	used_at: string | null;
	used_by_device: string | null;
}

export function fromDeviceRow(row: DeviceRow): DeviceRecord {
	return {
		id: row.id,
		busId: row.bus_id,
		secretHash: row.secret_hash,
		appVersion: row.app_version,
		createdAt: row.created_at,
		revokedAt: row.revoked_at,
		lastMutationId: row.last_mutation_id,
		lastSeenAt: row.last_seen_at
	};
}

export interface RejectionRow {
	device_id: string;
	bus_id: string;
	mutation_id: number;
	kind: string | null;
	entity_id: string | null;
	reason: string;
	detail: string | null;
	payload: string;
	at: string;
}

export function fromRejectionRow(row: RejectionRow): RejectedMutationRecord {
	return {
		deviceId: row.device_id,
		busId: row.bus_id,
		mutationId: row.mutation_id,
		kind: row.kind,
		entityId: row.entity_id,
		reason: row.reason,
		detail: row.detail,
		payload: row.payload,
		at: row.at
	};
}

/** The columns a referral is read back with (`REFERRAL_COLUMNS`), and its id when several are read. */
export interface ReferralRow {
	id: string;
	bus_id: string;
	status: Referral['status'];
	created_payload: string;
	payload: string;
}

export const REFERRAL_COLUMNS = 'id, bus_id, status, created_payload, payload';

export function fromReferralRow(row: ReferralRow): StoredReferral {
	return {
		busId: row.bus_id,
		status: row.status,
		createdJson: row.created_payload,
		referral: JSON.parse(row.payload) as Referral
	};
}

/** The referrals of `rows` by id. */
export function referralsById(rows: readonly ReferralRow[]): Map<string, StoredReferral> {
	return new Map(rows.map((row) => [row.id, fromReferralRow(row)]));
}

export interface ChangeRow {
	seq: number;
	entity: ChangeRecord['entity'];
	entity_id: string;
	op: ChangeRecord['op'];
	data: string | null;
}

export function toChangeRecord(row: ChangeRow): ChangeRecord {
	return {
		seq: row.seq,
		entity: row.entity,
		op: row.op,
		id: row.entity_id,
		data: row.data === null ? undefined : (JSON.parse(row.data) as unknown)
	};
}
