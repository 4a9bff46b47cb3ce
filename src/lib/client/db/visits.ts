/**
 * Visits on the tablet. A visit is append-only (a correction is a new visit naming the one it replaces),
 * so the repository only records and reads.
 */
import { parseVisit, type Visit } from '$lib/domain/visit';
import { InvalidRecordError, withStorageErrors } from './errors';
import { enqueue, outboxTables, withDigest } from './outbox';
import type { EscaleDb } from './schema';

/**
 * Validates `input` and stores the visit with its outbox entry, both or neither. Resolves only once the
 * transaction is committed to disk; rejects with InvalidRecordError (nothing written), StorageFullError or
 * StorageUnavailableError, so the UI never shows "Enregistré" for a visit that is not there.
 */
export async function recordVisit(db: EscaleDb, input: unknown, now: Date = new Date()): Promise<Visit> {
	const parsed = parseVisit(input);
	if (!parsed.ok) throw new InvalidRecordError('visit', parsed.issues);
	const visit = parsed.value;
	const queuedAt = now.toISOString();
	const queued = await withDigest({
		kind: 'visit.create',
		entityId: visit.id,
		payload: visit,
		createdAt: queuedAt
	});

	// Must stay true: a visit exists on the tablet exactly when its mutation is queued (or was acknowledged).
	// Everything is computed above: an await on anything but IndexedDB here would commit half of it.
	await withStorageErrors(() =>
		db.transaction('rw', [db.visits, ...outboxTables(db)], async (tx) => {
			await tx.visits.add(visit);
			await enqueue(tx, queued);
		})
	);
	return visit;
}

export function getVisit(db: EscaleDb, id: string): Promise<Visit | undefined> {
	return db.visits.get(id);
}

/** The visits recorded at one service day, in the order they were recorded. */
export async function listVisitsOfServiceDay(db: EscaleDb, serviceDayId: string): Promise<Visit[]> {
	const visits = await db.visits.where('serviceDayId').equals(serviceDayId).toArray();
	return visits.sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
}
