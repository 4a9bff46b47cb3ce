/**
 * Referrals on the tablet. Creating one or moving its status queues the mutation for the server in the same
 * transaction; coordinators' status changes arrive by the pull, and contact details are purged by the
 * retention rules.
 */
import { canMoveReferral, parseReferral, type Referral, type ReferralStatus } from '$lib/domain/referral';
import { InvalidRecordError, withStorageErrors } from './errors';
import { enqueue, outboxTables, withDigest } from './outbox';
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
	const queued = await withDigest({
		kind: 'referral.create',
		entityId: referral.id,
		payload: referral,
		createdAt: now.toISOString()
	});

	// Must stay true: a referral exists on the tablet exactly when its mutation is queued (or acknowledged).
	await withStorageErrors(() =>
		db.transaction('rw', [db.referrals, ...outboxTables(db)], async (tx) => {
			await tx.referrals.add(referral);
			await enqueue(tx, queued);
		})
	);
	return referral;
}

/**
 * Moves a referral forward along its lifecycle (the server keeps the move only if it is still forward there)
 * and queues the move, both or neither. Rejects with InvalidRecordError when the referral is unknown or the
 * move goes backwards, StorageFullError or StorageUnavailableError.
 */
export async function moveReferral(
	db: EscaleDb,
	referralId: string,
	to: ReferralStatus,
	now: Date = new Date()
): Promise<Referral> {
	const at = now.toISOString();
	const queued = await withDigest({
		kind: 'referral.status',
		entityId: referralId,
		payload: { referralId, status: to, at },
		createdAt: at
	});
	// Must stay true: the tablet's status and the queued move change together; status never goes backwards.
	return withStorageErrors(() =>
		db.transaction('rw', [db.referrals, ...outboxTables(db)], async (tx) => {
			const referral = await tx.referrals.get(referralId);
			if (!referral || !canMoveReferral(referral.status, to)) {
				const message = referral ? `${referral.status} ne peut pas passer à ${to}` : 'Orientation inconnue';
				throw new InvalidRecordError('referral', [{ path: 'status', message }]);
			}
			const parsed = parseReferral({
				...referral,
				status: to,
				history: [...referral.history, { status: to, at }]
			});
			if (!parsed.ok) throw new InvalidRecordError('referral', parsed.issues);
			await tx.referrals.put(parsed.value);
			await enqueue(tx, queued);
			return parsed.value;
		})
	);
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
