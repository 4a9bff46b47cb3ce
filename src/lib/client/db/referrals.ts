/**
 * Referrals on the tablet. Creating one queues it for the server in the same transaction; status changes
 * come later (coordinators via the pull, issue 3), and contact details are purged by the retention rules.
 */
import { parseReferral, type Referral, type ReferralStatus } from '$lib/domain/referral';
import { InvalidRecordError, withStorageErrors } from './errors';
import { enqueue, outboxTables } from './outbox';
import type { EscaleDb } from './schema';

/**
 * Validates `input` (consent rule included) and stores the referral with its outbox entry, both or
 * neither. Resolves only once committed; rejects with InvalidRecordError, StorageFullError or
 * StorageUnavailableError.
 */
export async function recordReferral(
	db: EscaleDb,
	input: unknown,
	now: Date = new Date()
): Promise<Referral> {
	const parsed = parseReferral(input);
	if (!parsed.ok) throw new InvalidRecordError('referral', parsed.issues);
	const referral = parsed.value;
	const queuedAt = now.toISOString();

	// Must stay true: a referral exists on the tablet exactly when its mutation is queued (or acknowledged).
	await withStorageErrors(() =>
		db.transaction('rw', [db.referrals, ...outboxTables(db)], async (tx) => {
			await tx.referrals.add(referral);
			await enqueue(tx, {
				kind: 'referral.create',
				entityId: referral.id,
				payload: referral,
				createdAt: queuedAt
			});
		})
	);
	return referral;
}

export function getReferral(db: EscaleDb, id: string): Promise<Referral | undefined> {
	return db.referrals.get(id);
}

/** The referrals in any of `statuses`, by due date. */
export async function listReferralsByStatus(
	db: EscaleDb,
	statuses: readonly ReferralStatus[]
): Promise<Referral[]> {
	const referrals = await db.referrals
		.where('status')
		.anyOf([...statuses])
		.toArray();
	return referrals.sort(
		(a, b) => a.dueDate.localeCompare(b.dueDate) || a.recordedAt.localeCompare(b.recordedAt)
	);
}

/** The referrals written for one visit's requests. */
export function listReferralsOfVisit(db: EscaleDb, visitId: string): Promise<Referral[]> {
	return db.referrals.where('visitId').equals(visitId).sortBy('recordedAt');
}
