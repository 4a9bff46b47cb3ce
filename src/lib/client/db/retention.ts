/**
 * Retention on the tablet: keep only what the crew still needs. Visits older than the retention period
 * are removed once the server has them (their outbox entry acknowledged, hence deleted); contact details
 * of a referral are removed once it is final (resolved or closed) and nothing of it is still pending.
 * A record still waiting to be sent is never touched, whatever its age: losing it would lose data.
 * A sweep runs in one transaction: it removes everything it should, or nothing.
 */
import { REFERRAL_STATUSES, isReferralFinal, type Referral } from '$lib/domain/referral';
import { withStorageErrors } from './errors';
import type { OutboxEntry } from './outbox';
import type { EscaleDb } from './schema';

export const DEFAULT_VISIT_RETENTION_DAYS = 31;
export const MIN_VISIT_RETENTION_DAYS = 1;
export const MAX_VISIT_RETENTION_DAYS = 365;

/** Meta keys of this module (meta.ts's MetaValues does not declare them yet: read and checked here). */
const KEYS = {
	visitDays: 'retention.visitRetentionDays',
	lastSweepAt: 'retention.lastSweepAt',
	lastRemoved: 'retention.lastRemoved'
} as const;

export interface SweepResult {
	visitsRemoved: number;
	contactsRemoved: number;
}

export interface RetentionSettings {
	visitRetentionDays: number;
	/** When the last sweep ran (device clock, ISO), or null if none ever did. */
	lastSweepAt: string | null;
	lastRemoved: SweepResult | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const FINAL_STATUSES = REFERRAL_STATUSES.filter(isReferralFinal);

function isRetentionDays(value: unknown): value is number {
	return (
		typeof value === 'number' &&
		Number.isInteger(value) &&
		value >= MIN_VISIT_RETENTION_DAYS &&
		value <= MAX_VISIT_RETENTION_DAYS
	);
}

function isSweepResult(value: unknown): value is SweepResult {
	if (typeof value !== 'object' || value === null) return false;
	const { visitsRemoved, contactsRemoved } = value as Record<string, unknown>;
	return Number.isInteger(visitsRemoved) && Number.isInteger(contactsRemoved);
}

/** The settings as stored; a value written by another version that does not check falls back to default. */
export async function getRetentionSettings(db: EscaleDb): Promise<RetentionSettings> {
	const rows = await db.meta.bulkGet(Object.values(KEYS));
	const [days, lastSweepAt, lastRemoved] = rows.map((row) => row?.value);
	return {
		visitRetentionDays: isRetentionDays(days) ? days : DEFAULT_VISIT_RETENTION_DAYS,
		lastSweepAt: typeof lastSweepAt === 'string' ? lastSweepAt : null,
		lastRemoved: isSweepResult(lastRemoved)
			? { visitsRemoved: lastRemoved.visitsRemoved, contactsRemoved: lastRemoved.contactsRemoved }
			: null
	};
}

/** Sets how many days visits are kept; a whole number from 1 to 365, a RangeError otherwise. */
export async function setVisitRetentionDays(db: EscaleDb, days: number): Promise<void> {
	if (!isRetentionDays(days)) {
		throw new RangeError(
			`Durée de conservation des visites attendue : un nombre entier de jours de ${MIN_VISIT_RETENTION_DAYS} à ${MAX_VISIT_RETENTION_DAYS}`
		);
	}
	await withStorageErrors(() =>
		db.transaction('rw', db.meta, () => db.meta.put({ key: KEYS.visitDays, value: days }))
	);
}

/**
 * Old visits the sweep may remove: recorded before `cutoff` and with no outbox entry left (a pending or
 * rejected one keeps the visit). A correction stays while the visit it replaces stays, so a replaced
 * version never comes back as the current one.
 */
async function removableVisits(db: EscaleDb, cutoff: string, entityIds: Set<string>): Promise<Set<string>> {
	const old = await db.visits.where('recordedAt').below(cutoff).toArray();
	const removable = new Set(old.filter((visit) => !entityIds.has(visit.id)).map((visit) => visit.id));
	const corrections = old.flatMap((visit) =>
		removable.has(visit.id) && visit.correctionOf ? [{ id: visit.id, replaces: visit.correctionOf }] : []
	);
	const stored = await db.visits.bulkGet(corrections.map((correction) => correction.replaces));
	const storedIds = new Set(stored.flatMap((visit) => (visit ? [visit.id] : [])));
	// Until nothing changes: keeping a correction may keep the correction of that correction.
	let changed = true;
	while (changed) {
		changed = false;
		for (const { id, replaces } of corrections) {
			if (removable.has(id) && storedIds.has(replaces) && !removable.has(replaces)) {
				removable.delete(id);
				changed = true;
			}
		}
	}
	return removable;
}

function withoutContact(referral: Referral): Referral {
	return { ...referral, contact: null };
}

/**
 * Removes what retention allows at `now` and records when and how much in meta, in one transaction.
 * Visits: recorded more than the retention period before `now` and acknowledged by the server, with their
 * withdrawals. Contacts:
 * of referrals that are final and have no pending mutation (set to null, the consent record is kept),
 * also inside the `referral.create` payloads of their rejected outbox entries, which are never sent again.
 */
export async function sweepRetention(db: EscaleDb, now: Date = new Date()): Promise<SweepResult> {
	const sweptAt = now.toISOString();
	// Must stay true: a record with a pending mutation is never removed nor changed by a sweep.
	return withStorageErrors(() =>
		db.transaction('rw', [db.visits, db.visitWithdrawals, db.referrals, db.outbox, db.meta], async () => {
			const { visitRetentionDays } = await getRetentionSettings(db);
			const cutoff = new Date(now.getTime() - visitRetentionDays * DAY_MS).toISOString();
			const entries = await db.outbox.toArray();
			const withEntry = new Set(entries.map((entry) => entry.entityId));
			const pending = new Set(entries.filter((e) => e.status === 'pending').map((e) => e.entityId));

			const visitIds = await removableVisits(db, cutoff, withEntry);
			await db.visits.bulkDelete([...visitIds]);
			// A withdrawal goes with its visit (its own mutation, pending, keeps the visit until acknowledged).
			await db.visitWithdrawals.bulkDelete([...visitIds]);

			const finalReferrals = await db.referrals
				.where('status')
				.anyOf(FINAL_STATUSES)
				.and((referral) => !pending.has(referral.id))
				.toArray();
			const finalIds = new Set(finalReferrals.map((referral) => referral.id));
			const purged = new Set<string>();
			for (const referral of finalReferrals) {
				if (referral.contact === null) continue;
				await db.referrals.put(withoutContact(referral));
				purged.add(referral.id);
			}
			const rejectedCreates = entries.filter(
				(entry): entry is Extract<OutboxEntry, { kind: 'referral.create' }> =>
					entry.kind === 'referral.create' &&
					entry.status === 'rejected' &&
					finalIds.has(entry.entityId) &&
					entry.payload.contact !== null
			);
			for (const entry of rejectedCreates) {
				await db.outbox.update(entry.seq, { payload: withoutContact(entry.payload) });
				purged.add(entry.entityId);
			}

			const result: SweepResult = { visitsRemoved: visitIds.size, contactsRemoved: purged.size };
			await db.meta.bulkPut([
				{ key: KEYS.lastSweepAt, value: sweptAt },
				{ key: KEYS.lastRemoved, value: result }
			]);
			return result;
		})
	);
}
