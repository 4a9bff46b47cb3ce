/**
 * The outbox: every local write queues its mutation here *in the same transaction* as the data, so no
 * record can exist without its way to the server, and no mutation without its record (Dexie Cloud's rule).
 *
 * Order is the auto-increment `seq`. `mutationId` is the per-device, dense, increasing id the server deduplicates
 * on (Replicache's lastMutationID, docs/offline-data-loss.md). It comes from a counter in `meta`, never from the
 * outbox itself: acknowledged entries are deleted, and reusing their ids would make the server drop new mutations
 * as replays.
 */
import Dexie, { type TXWithTables } from 'dexie';
import type { Referral } from '$lib/domain/referral';
import type { Visit } from '$lib/domain/visit';
import {
	DIGEST_PREFIX_LENGTH,
	mutationCanonical,
	rangeDigestText,
	type ReferralStatusChange,
	type ServiceDayOpen,
	type ServiceDayReport,
	type VisitWithdrawal
} from '$lib/sync/protocol';
import type { EscaleDb } from './schema';

/**
 * Version of the payload format written with each entry. Bump it when a payload's shape changes; the server
 * keeps reading older versions, so mutations queued before an app update are still sent as they were.
 */
export const PAYLOAD_SCHEMA_VERSION = 1;

/** What each kind of mutation carries (the wire kinds of protocol v1). */
export interface MutationPayloads {
	'visit.create': Visit;
	'referral.create': Referral;
	'referral.status': ReferralStatusChange;
	'serviceDay.report': ServiceDayReport;
	'visit.withdraw': VisitWithdrawal;
	'serviceDay.open': ServiceDayOpen;
}
export type MutationKind = keyof MutationPayloads;

/** `pending`: not yet acknowledged (in flight counts as pending: it is resent until acknowledged).
 *  `rejected`: the server can never accept it; kept, with its reason, for the crew and coordinators to see. */
export type OutboxStatus = 'pending' | 'rejected';

interface OutboxEntryOf<K extends MutationKind> {
	/** Local queue order (auto-increment). */
	seq: number;
	mutationId: number;
	kind: K;
	entityId: string;
	payload: MutationPayloads[K];
	/** Device clock, ISO 8601: only to show the age of the queue, never to order or merge. */
	createdAt: string;
	schemaVersion: number;
	status: OutboxStatus;
	rejectedReason: string | null;
	/**
	 * The first 16 hexadecimal characters of the mutation's digest, as the server computes it
	 * (`digestMutation`): what a check sends instead of the mutation. Absent on entries written before it
	 * existed or whose payload was only known inside their transaction; those are always sent in full.
	 */
	digest?: string;
}
export type OutboxEntry = { [K in MutationKind]: OutboxEntryOf<K> }[MutationKind];

/** What a repository hands to `enqueue`: a validated payload, what it is about, and its digest if known. */
export type NewMutation = {
	[K in MutationKind]: {
		kind: K;
		entityId: string;
		payload: MutationPayloads[K];
		createdAt: string;
		digest?: string;
	};
}[MutationKind];

const LAST_MUTATION_ID = 'outbox.lastMutationId';
const SENT_THROUGH = 'outbox.sentThrough';
const textEncoder = new TextEncoder();

/**
 * The digest prefix of a mutation this app writes (WebCrypto SHA-256 of the text the server hashes, the
 * server's `entityId`, the current payload schema version), or undefined where WebCrypto is missing (an
 * insecure context): the entry is then always sent in full. Call it *before* opening the transaction that
 * enqueues the mutation: a Dexie transaction commits as soon as it awaits something that is not Dexie.
 */
export async function withDigest<M extends NewMutation>(mutation: M): Promise<M> {
	const text = mutationCanonical({ ...mutation, schemaVersion: PAYLOAD_SCHEMA_VERSION });
	const digest = await sha256Hex(text, DIGEST_PREFIX_LENGTH / 2);
	return digest === undefined ? mutation : { ...mutation, digest };
}

/**
 * The digest a range check sends for entries that each carry their prefix: SHA-256, hexadecimal, of
 * `rangeDigestText` (the prefixes end to end, in id order); undefined where WebCrypto is missing.
 */
export function rangeDigestOf(prefixes: readonly string[]): Promise<string | undefined> {
	return sha256Hex(rangeDigestText(prefixes), 32);
}

/** WebCrypto's SHA-256 of `text`, its first `bytes` bytes in lower-case hexadecimal; undefined without WebCrypto. */
async function sha256Hex(text: string, bytes: number): Promise<string | undefined> {
	const subtle = globalThis.crypto?.subtle;
	if (!subtle) return undefined;
	const hash = new Uint8Array(await subtle.digest('SHA-256', textEncoder.encode(text)));
	let hex = '';
	for (const byte of hash.subarray(0, bytes)) hex += byte.toString(16).padStart(2, '0');
	return hex;
}
const OUTBOX_STORES = ['outbox', 'meta'];

/** The tables a transaction must include for `enqueue` to work in it. */
export function outboxTables(db: EscaleDb) {
	return [db.outbox, db.meta];
}

/**
 * Queues a mutation inside the caller's 'rw' transaction (which must include `outboxTables(db)`); returns
 * its mutation id. Never call it outside a transaction that also writes the record.
 */
export async function enqueue(tx: TXWithTables<EscaleDb>, mutation: NewMutation): Promise<number> {
	const missing = OUTBOX_STORES.filter((store) => !tx.storeNames.includes(store));
	if (tx.mode !== 'readwrite' || missing.length > 0) {
		throw new Error(
			`enqueue needs a 'rw' transaction over outboxTables(db); missing: ${missing.join(', ') || 'rw'}`
		);
	}
	// Must stay true: the counter and the entry are written together, so ids never repeat or go back.
	const last = await tx.meta.get(LAST_MUTATION_ID);
	const mutationId = (typeof last?.value === 'number' ? last.value : await highestQueuedId(tx)) + 1;
	await tx.meta.put({ key: LAST_MUTATION_ID, value: mutationId });
	await tx.outbox.add({
		...mutation,
		mutationId,
		schemaVersion: PAYLOAD_SCHEMA_VERSION,
		status: 'pending',
		rejectedReason: null
	} as OutboxEntry);
	return mutationId;
}

/** The highest mutation id sent in full at least once (0 when none, or when the key-value table was cleared). */
export async function sentThrough(db: EscaleDb): Promise<number> {
	const row = await db.meta.get(SENT_THROUGH);
	return typeof row?.value === 'number' ? row.value : 0;
}

/**
 * Notes, before a push goes out, that the entries up to `mutationId` have been sent: if its answer is lost,
 * the next push asks about them with a check instead of sending them again.
 */
export async function markSent(db: EscaleDb, mutationId: number): Promise<void> {
	await db.transaction('rw', db.meta, async () => {
		if ((await sentThrough(db)) < mutationId) await db.meta.put({ key: SENT_THROUGH, value: mutationId });
	});
}

/**
 * Notes that the entries from `mutationId` on were never acknowledged (a check answered them `unknown`),
 * so the next push sends them in full. Joins the caller's transaction over `db.meta`, if any.
 */
export async function markUnsentFrom(db: EscaleDb, mutationId: number): Promise<void> {
	if ((await sentThrough(db)) >= mutationId) await db.meta.put({ key: SENT_THROUGH, value: mutationId - 1 });
}

/**
 * The highest id in the queue (0 when empty): where the count goes on when the counter is missing, a new
 * tablet or one whose key-value table was cleared. Counting from 0 then would reuse a queued id.
 */
async function highestQueuedId(tx: TXWithTables<EscaleDb>): Promise<number> {
	const highest = await tx.outbox.orderBy('mutationId').last();
	return Math.max(0, highest?.mutationId ?? 0);
}

function pendingInOrder(db: EscaleDb) {
	return db.outbox.where('[status+seq]').between(['pending', Dexie.minKey], ['pending', Dexie.maxKey]);
}

/** The oldest pending mutations, in the order they were recorded. */
export function listPending(db: EscaleDb, limit: number): Promise<OutboxEntry[]> {
	return pendingInOrder(db).limit(limit).toArray();
}

export function countPending(db: EscaleDb): Promise<number> {
	return pendingInOrder(db).count();
}

/** When the oldest pending mutation was recorded (device clock), or null when nothing is pending. */
export async function oldestPendingAt(db: EscaleDb): Promise<Date | null> {
	const oldest = await pendingInOrder(db).first();
	return oldest ? new Date(oldest.createdAt) : null;
}

/**
 * Forgets the pending mutations up to `upToMutationId`, for ids the server answered `applied` or `duplicate`
 * one by one. Never call it with a ledger (`lastMutationId`) alone: an id at or below it may have been
 * rejected, and only its own result says so. Rejected entries stay (they are shown until someone deals with
 * them). Returns how many were removed.
 */
export function acknowledge(db: EscaleDb, upToMutationId: number): Promise<number> {
	// Must stay true: only pending entries the server confirmed are removed; later ones stay queued.
	return db.transaction('rw', db.outbox, () =>
		db.outbox
			.where('mutationId')
			.belowOrEqual(upToMutationId)
			.and((entry) => entry.status === 'pending')
			.delete()
	);
}

/** Marks a mutation the server can never accept, so it stops blocking the queue but is never lost silently. */
export function markRejected(db: EscaleDb, mutationId: number, reason: string): Promise<number> {
	return db.outbox
		.where('mutationId')
		.equals(mutationId)
		.modify({ status: 'rejected', rejectedReason: reason });
}

/** Mutations the server refused, oldest first. */
export function listRejected(db: EscaleDb): Promise<OutboxEntry[]> {
	return db.outbox
		.where('[status+seq]')
		.between(['rejected', Dexie.minKey], ['rejected', Dexie.maxKey])
		.toArray();
}

/** Whether a record still has a mutation waiting to reach the server. */
export async function isPending(db: EscaleDb, entityId: string): Promise<boolean> {
	const count = await db.outbox
		.where('entityId')
		.equals(entityId)
		.and((entry) => entry.status === 'pending')
		.count();
	return count > 0;
}

/** The ids of the records that still have a mutation waiting (a screen marks them "not sent yet"). */
export async function listPendingEntityIds(db: EscaleDb): Promise<Set<string>> {
	const ids = new Set<string>();
	await pendingInOrder(db).each((entry) => ids.add(entry.entityId));
	return ids;
}

/**
 * Gives the queue to a new device identity (a re-enrollment): the server counts mutation ids per device from
 * 1, so pending entries are renumbered 1..n in queue order and the counter set to n. Rejected entries are
 * never sent again; they keep their place with a negative id so the unique index holds. Must run inside the
 * enrollment's 'rw' transaction over `outboxTables(db)`, so the queue and the credentials never disagree.
 */
export async function renumberForNewDevice(tx: TXWithTables<EscaleDb>): Promise<void> {
	await renumber(tx, 1, () => true);
}

/**
 * Renumbers the pending entries `firstId`, `firstId + 1`... in queue order and sets the counter to the last
 * one: the server answered `id_reused` (this tablet counted again from an old number, after a restore or a
 * partial clearing) and acknowledged up to `firstId - 1`. Rejected entries in the way move to a negative id.
 * Must run inside the transaction that settles the server's answer, over `outboxTables(db)`.
 */
export async function renumberPendingFrom(tx: TXWithTables<EscaleDb>, firstId: number): Promise<void> {
	await renumber(tx, firstId, (entry) => entry.mutationId >= firstId);
}

async function renumber(
	tx: TXWithTables<EscaleDb>,
	firstId: number,
	movesRejected: (entry: OutboxEntry) => boolean
): Promise<void> {
	const entries = await tx.outbox.orderBy('seq').toArray();
	const moving = entries.filter((entry) => entry.status === 'pending' || movesRejected(entry));
	// Must stay true: mutationId stays unique at every step, so move everything out of the way first, and the
	// counter ends at the last id given, so the next write continues after it.
	for (const entry of moving) await tx.outbox.update(entry.seq, { mutationId: -entry.seq });
	let last = firstId - 1;
	for (const entry of moving) {
		if (entry.status === 'pending') await tx.outbox.update(entry.seq, { mutationId: ++last });
	}
	await tx.meta.put({ key: LAST_MUTATION_ID, value: last });
	// The renumbered entries were never sent under their new ids: the next push sends them in full.
	await tx.meta.put({ key: SENT_THROUGH, value: firstId - 1 });
}
