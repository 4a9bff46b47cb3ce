/**
 * POST /api/sync/push: a batch of mutations, applied in one transaction, deduplicated by (device,
 * mutationId), answered only after the commit. See docs/sync-protocol.md for the statuses. Both protocol
 * versions are answered: 1 (every field of every mutation) and 2 (ids from the batch's first, no device
 * clock, `entityId` implied by the payload's `id`); they read into the same numbered mutations.
 *
 * An id at or below the device's ledger is a replay only if it is the same mutation: the server keeps a
 * digest of each acknowledged one and compares. Another mutation under an old id (a restored or cleared
 * tablet counting again) is never taken for a duplicate: it and everything after it in the request are
 * answered `retry` / `id_reused`, and the tablet renumbers its queue from `lastMutationId + 1`.
 *
 * A replay is answered from the device's ledger alone: ids are increasing in a request, so the known ones
 * are its first ones, read back with their digests (and any recorded rejection) in one range read each;
 * their payloads are neither validated nor applied, no record table is read, and a request that
 * acknowledges nothing new writes nothing (so its commit costs no disk sync). A tablet that lost an answer
 * sends no bodies at all: a check (a digest prefix per mutation) or a range check (one digest for a whole
 * run), answered from the ledger too (`check`, `checkRange`).
 */
import { hash } from 'node:crypto';
import {
	DIGEST_PREFIX_LENGTH,
	LIMITS,
	PushCheckSchema,
	PushRangeCheckSchema,
	PushRequestSchema,
	isPushCheck,
	isPushRangeCheck,
	mutationCanonical,
	numberedMutations,
	type PushCheck,
	type PushRangeCheck,
	type MutationResult,
	type NumberedMutation,
	type PushResponse,
	type RetryReason
} from '$lib/sync/protocol';
import type {
	DeviceRecord,
	MutationDigest,
	RejectedMutationRecord,
	Store,
	StoreTransaction
} from '../store/store';
import { applyMutation, createPushSession, type IncomingMutation } from './apply';
import { authenticate } from './auth';
import { parseBody, receiveJsonBody } from './body';
import { SyncError, jsonResponse } from './errors';
import { recordRejection } from './rejections';
import { Turns } from './turns';

/** How stale `last_seen_at` may get before a push that acknowledges nothing new still writes it. */
const SEEN_PRECISION_MS = 60_000;

/** SHA-256, hex, of a mutation as the tablet sent it; `createdAt` is left out (informative only). */
export function digestMutation(mutation: IncomingMutation): string {
	// One-shot hash: about twice as fast as createHash for a few hundred bytes, and a push hashes each mutation.
	return hash('sha256', mutationCanonical(mutation), 'hex');
}

/** The answer to a replay that is the same mutation: as the first time. */
function replayed(mutationId: number, rejection: RejectedMutationRecord | undefined): MutationResult {
	if (!rejection) return { mutationId, status: 'duplicate' };
	return {
		mutationId,
		status: 'rejected',
		reason: rejection.reason,
		...(rejection.detail ? { detail: rejection.detail } : {})
	};
}

/**
 * Answers the mutations at or below the ledger (`known`, the first ones of the request) from the ledger:
 * each is the same mutation as the one acknowledged under its id (same digest) and answered as the first
 * time, until one is not: that one and the rest of the request are then held back (`id_reused`). Ids
 * acknowledged before digests were kept have none: never taken for a duplicate either.
 */
async function answerKnown(
	tx: StoreTransaction,
	device: DeviceRecord,
	known: readonly NumberedMutation[],
	results: MutationResult[]
): Promise<RetryReason | null> {
	const ids = known.map((mutation) => mutation.mutationId);
	const digests = await tx.syncRecords.getMutationDigests(device.id, ids);
	const rejections = await tx.syncRecords.getRejections(device.id, ids);
	for (const mutation of known) {
		if (digests.get(mutation.mutationId) !== digestMutation(mutation)) return 'id_reused';
		results.push(replayed(mutation.mutationId, rejections.get(mutation.mutationId)));
	}
	return null;
}

/**
 * Pushes of one store that decode and write at once (turns.ts), as many as the store has writers
 * (`writersAtOnce`): SQLite writes one at a time anyway; on PostgreSQL a fifth of the pool (2 of the default 10),
 * the rest staying free for the pages and the other requests. Without a bound, 100 pushes a process queued on
 * the pool: pages waited seconds behind them, and pushes failed after the pool's 10 s wait (npm run bench:load,
 * all at once).
 */
const turnsOf = new WeakMap<Store, Turns>();

function turns(store: Store): Turns {
	let found = turnsOf.get(store);
	if (!found) turnsOf.set(store, (found = new Turns(store.writersAtOnce)));
	return found;
}

export async function push(store: Store, request: Request, now: () => Date): Promise<Response> {
	const authenticated = await authenticate(store, request);
	const decode = await receiveJsonBody(request, LIMITS.maxPushBytes);
	return turns(store).take(() => pushReceived(store, authenticated, decode(), now));
}

async function pushReceived(
	store: Store,
	authenticated: DeviceRecord,
	json: unknown,
	now: () => Date
): Promise<Response> {
	if (isPushCheck(json)) return check(store, authenticated.id, parseBody(PushCheckSchema, json), now);
	if (isPushRangeCheck(json)) {
		return checkRange(store, authenticated.id, parseBody(PushRangeCheckSchema, json), now);
	}
	const body = parseBody(PushRequestSchema, json);
	const mutations = numberedMutations(body);
	const receivedAt = now().toISOString();

	// What must stay true: every applied record, every recorded rejection, their digests and the device's
	// acknowledgement ledger commit together or not at all; an id at or below the ledger is never applied
	// twice, nor taken for a duplicate unless its digest matches; nothing is applied past a gap or a reused
	// id (ids are dense and applied in order).
	const { results, lastMutationId } = await store.transaction(async (tx) => {
		const device = await tx.devices.getForPush(authenticated.id);
		if (!device || device.revokedAt !== null) {
			throw new SyncError('device_revoked', 'Cette tablette a été révoquée par la coordination.');
		}
		const ledger = device.lastMutationId;
		const known = mutations.findIndex((mutation) => mutation.mutationId > ledger);
		const knownCount = known === -1 ? mutations.length : known;
		const results: MutationResult[] = [];
		let blocked: RetryReason | null =
			knownCount === 0 ? null : await answerKnown(tx, device, mutations.slice(0, knownCount), results);

		const session = createPushSession(tx, device, receivedAt);
		const fresh = mutations.slice(results.length);
		// Read ahead the visits and referrals the batch creates, a query each (none when it is all replays).
		if (blocked === null) await session.readAhead(fresh);
		const acknowledged: MutationDigest[] = [];
		let last = ledger;
		for (const mutation of fresh) {
			const { mutationId } = mutation;
			if (blocked === null && mutationId !== last + 1) blocked = 'gap';
			if (blocked !== null) {
				results.push({ mutationId, status: 'retry', reason: blocked });
				continue;
			}
			// Most visits are decided without the store: await only when the answer is a promise.
			const answer = applyMutation(tx, device, mutation, receivedAt, session);
			const outcome = answer instanceof Promise ? await answer : answer;
			if (outcome.status === 'rejected') {
				await recordRejection(tx, session, device, mutation, outcome, receivedAt);
				results.push({ mutationId, status: 'rejected', reason: outcome.reason, detail: outcome.detail });
			} else {
				results.push({ mutationId, status: 'applied' });
			}
			acknowledged.push({ mutationId, digest: digestMutation(mutation) });
			last = mutationId;
		}
		if (acknowledged.length > 0) {
			// The visits and referrals still buffered are written before the ledger moves, in this same transaction.
			await session.flush();
			await tx.syncRecords.insertMutationDigests(device.id, acknowledged);
			await tx.devices.acknowledge(device.id, last, receivedAt);
		} else if (isStale(device.lastSeenAt, receivedAt)) {
			// Nothing new (a replay, or only retries): the device was heard from, to the minute.
			await tx.devices.acknowledge(device.id, ledger, receivedAt);
		}
		return { results, lastMutationId: last };
	});

	const response: PushResponse = {
		protocol: body.protocol,
		results,
		lastMutationId,
		serverTime: receivedAt
	};
	return jsonResponse(200, response);
}

/**
 * Answers a check from the device's ledger alone: one range read of the digests and one of the rejections
 * of its ids, no record table, no payload. Ids at or below the ledger whose digest starts with the prefix
 * sent are answered as the first time (`duplicate` or the recorded rejection); the first that does not
 * (another mutation under an old id, or one acknowledged before digests were kept) and every later one are
 * `retry` / `id_reused`, as in a push (nothing past a reused id); ids above the ledger are otherwise
 * `unknown` (never acknowledged: send them in full). Writes nothing but, at most once a minute, when the device was last heard from.
 */
async function check(store: Store, deviceId: string, body: PushCheck, now: () => Date): Promise<Response> {
	const receivedAt = now().toISOString();
	const { results, lastMutationId } = await store.transaction(async (tx) => {
		const device = await tx.devices.get(deviceId);
		if (!device || device.revokedAt !== null) {
			throw new SyncError('device_revoked', 'Cette tablette a été révoquée par la coordination.');
		}
		const ledger = device.lastMutationId;
		const ids = body.digests.map((_, index) => body.firstMutationId + index);
		const known = ids.filter((id) => id <= ledger);
		const digests = known.length > 0 ? await tx.syncRecords.getMutationDigests(device.id, known) : null;
		const rejections = known.length > 0 ? await tx.syncRecords.getRejections(device.id, known) : null;
		const results: MutationResult[] = [];
		let reused = false;
		body.digests.forEach((prefix, index) => {
			const mutationId = body.firstMutationId + index;
			if (!reused && mutationId > ledger) {
				results.push({ mutationId, status: 'unknown' });
				return;
			}
			reused ||= digests?.get(mutationId)?.slice(0, DIGEST_PREFIX_LENGTH) !== prefix;
			results.push(
				reused
					? { mutationId, status: 'retry', reason: 'id_reused' }
					: replayed(mutationId, rejections?.get(mutationId))
			);
		});
		if (isStale(device.lastSeenAt, receivedAt)) await tx.devices.acknowledge(device.id, ledger, receivedAt);
		return { results, lastMutationId: ledger };
	});
	const response: PushResponse = { protocol: 2, results, lastMutationId, serverTime: receivedAt };
	return jsonResponse(200, response);
}

/**
 * Answers a range check from the device's ledger alone, in one read of its digest prefixes and one of its
 * rejections: when every id of the range is at or below the ledger with a digest, and the SHA-256 of their
 * prefixes end to end is the one sent, the range is answered as the first time, in runs (`duplicate` with
 * `through`, each recorded rejection on its own); when the whole range is above the ledger, one run of
 * `unknown`; otherwise (part of it above the ledger, an id without a digest, another digest) no result: the
 * tablet asks again with a check of each prefix, which says which ids. Writes nothing but, at most once a
 * minute, when the device was last heard from.
 */
async function checkRange(
	store: Store,
	deviceId: string,
	body: PushRangeCheck,
	now: () => Date
): Promise<Response> {
	const receivedAt = now().toISOString();
	const { firstMutationId: first, lastMutationId: last } = body;
	const { results, lastMutationId } = await store.transaction(async (tx) => {
		const device = await tx.devices.get(deviceId);
		if (!device || device.revokedAt !== null) {
			throw new SyncError('device_revoked', 'Cette tablette a été révoquée par la coordination.');
		}
		const ledger = device.lastMutationId;
		const results: MutationResult[] = [];
		if (first > ledger) {
			results.push(run(first, last, 'unknown'));
		} else if (last <= ledger) {
			const prefixes = await tx.syncRecords.getDigestPrefixRange(
				device.id,
				first,
				last,
				DIGEST_PREFIX_LENGTH / 2
			);
			if (prefixes.count === last - first + 1 && hash('sha256', prefixes.text, 'hex') === body.rangeDigest) {
				results.push(...replayedRange(first, last, await rejectionsBetween(tx, device.id, first, last)));
			}
		}
		if (isStale(device.lastSeenAt, receivedAt)) await tx.devices.acknowledge(device.id, ledger, receivedAt);
		return { results, lastMutationId: ledger };
	});
	const response: PushResponse = { protocol: 2, results, lastMutationId, serverTime: receivedAt };
	return jsonResponse(200, response);
}

/** The ids `first` to `last` with one status, as one result (`through` when more than one). */
function run(first: number, last: number, status: 'duplicate' | 'unknown'): MutationResult {
	return last > first ? { mutationId: first, status, through: last } : { mutationId: first, status };
}

/** The rejections recorded for the device's ids `first` to `last`. */
function rejectionsBetween(
	tx: StoreTransaction,
	deviceId: string,
	first: number,
	last: number
): Promise<Map<number, RejectedMutationRecord>> {
	const ids = Array.from({ length: last - first + 1 }, (_, index) => first + index);
	return tx.syncRecords.getRejections(deviceId, ids);
}

/** A replayed range as the first time: runs of `duplicate` between the recorded rejections, in id order. */
function replayedRange(
	first: number,
	last: number,
	rejections: Map<number, RejectedMutationRecord>
): MutationResult[] {
	const results: MutationResult[] = [];
	let from = first;
	for (const id of [...rejections.keys()].sort((a, b) => a - b)) {
		if (from < id) results.push(run(from, id - 1, 'duplicate'));
		results.push(replayed(id, rejections.get(id)));
		from = id + 1;
	}
	if (from <= last) results.push(run(from, last, 'duplicate'));
	return results;
}

function isStale(seenAt: string | null, at: string): boolean {
	return seenAt === null || Date.parse(at) - Date.parse(seenAt) >= SEEN_PRECISION_MS;
}
