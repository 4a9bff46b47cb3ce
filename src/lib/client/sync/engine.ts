/**
 * One sync: push the outbox, then pull the server's changes. Durable before any network call
 * (docs/offline-data-loss.md, items 6 and 9): every mutation is already in the outbox, and each answer is written
 * in one transaction before the next request, so the app may be killed at any point and the next sync resumes where
 * this one stopped. Retries are harmless because the server deduplicates by (device, mutationId).
 *
 * One sync at a time: within the page (single flight) and across tabs (Web Locks, where the browser has it).
 */
import {
	LIMITS,
	PROTOCOL_VERSION,
	PullResponseSchema,
	PushResponseSchema,
	expandResults,
	toPushCheck,
	toPushRangeCheck,
	toPushRequest,
	type Mutation,
	type PullRequest,
	type PushCheck,
	type PushRangeCheck,
	type PushRequest,
	type PushResponse
} from '$lib/sync';
import { getMeta, setMeta, type SyncErrorCode } from '$lib/client/db/meta';
import {
	listPending,
	markSent,
	markUnsentFrom,
	rangeDigestOf,
	renumberPendingFrom,
	sentThrough,
	type OutboxEntry
} from '$lib/client/db/outbox';
import type { EscaleDb } from '$lib/client/db/schema';
import { adoptQueue, applyPage } from './apply';
import type { CredentialStore, DeviceCredentials } from './credentials';
import type { Transport, TransportFailure } from './transport';

/** The part of navigator.locks the engine uses. */
export interface LockManagerLike {
	request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export interface SyncEngineOptions {
	db: EscaleDb;
	transport: Transport;
	credentials: CredentialStore;
	/** navigator.locks; null or absent where the browser has no Web Locks (the page's single flight remains). */
	locks?: LockManagerLike | null;
	now?: () => Date;
	/** Bounds of one push request (the server takes at most 500 mutations and 2 MiB). */
	maxBatchCount?: number;
	maxBatchBytes?: number;
	pullLimit?: number;
	/** Pull at most this many pages per sync; the next sync continues from the stored cursor. */
	maxPages?: number;
}

export type SyncOutcome =
	| { ok: true; pushed: number; rejected: number; pulled: number }
	| {
			ok: false;
			error: SyncErrorCode;
			/** Retrying cannot help until someone acts (revoked, enroll). */ final: boolean;
	  };

export const SYNC_LOCK = 'escale-sync';
/** Mutations a push carries at most unless told otherwise: what a tablet sends in one request (the load bench too). */
export const DEFAULT_MAX_BATCH_COUNT = 200;
/** Renumberings one sync accepts: one is the rule (the tablet counted again from an old id); more is a fault. */
const MAX_RENUMBERINGS = 2;
const FINAL_ERRORS = new Set<SyncErrorCode>(['device_revoked', 'unauthenticated', 'not_enrolled']);

function toMutation(entry: OutboxEntry): Mutation {
	const { mutationId, kind, entityId, schemaVersion, createdAt, payload } = entry;
	return { mutationId, kind, entityId, schemaVersion, createdAt, payload };
}

const encoder = new TextEncoder();

/**
 * The longest prefix of `entries` within `maxBytes` of JSON (always at least one entry) whose ids follow
 * each other: a push numbers its mutations from the first one's id (protocol 2), so a hole in the queue,
 * which a working server never leaves, ends the batch there.
 */
function boundByBytes(entries: OutboxEntry[], maxBytes: number): Mutation[] {
	const batch: Mutation[] = [];
	let bytes = 0;
	for (const entry of entries) {
		const mutation = toMutation(entry);
		const previous = batch.at(-1);
		if (previous && mutation.mutationId !== previous.mutationId + 1) break;
		bytes += encoder.encode(JSON.stringify(mutation)).length + 1;
		if (previous && bytes > maxBytes) break;
		batch.push(mutation);
	}
	return batch;
}

/**
 * The leading entries sent before without a definite answer (at or below `sentThrough`) that carry their
 * digest prefix, with consecutive ids: what a check asks about instead of sending them again.
 */
function checkable(entries: OutboxEntry[], sent: number): { mutationId: number; digest: string }[] {
	const batch: { mutationId: number; digest: string }[] = [];
	for (const { mutationId, digest } of entries) {
		const previous = batch.at(-1);
		if (mutationId > sent || digest === undefined) break;
		if (previous && mutationId !== previous.mutationId + 1) break;
		batch.push({ mutationId, digest });
	}
	return batch;
}

/**
 * Deletes the pending entries of these primary keys (entries this sync read from the queue), and nothing
 * else, in the caller's transaction. A batch holds up to 500: when they fill a range of the queue, all
 * pending (the usual case), one delete of that range, checked by two counts over keys; otherwise one by
 * one. A query per entry, or a filtered delete reading each entry, costs several times more.
 */
async function deletePending(db: EscaleDb, seqs: number[]): Promise<void> {
	const sorted = [...seqs].sort((a, b) => a - b);
	const [low, high] = [sorted[0], sorted.at(-1)];
	if (low === undefined || high === undefined) return;
	const range = db.outbox.where('seq').between(low, high, true, true);
	const pending = db.outbox.where('[status+seq]').between(['pending', low], ['pending', high], true, true);
	// Must stay true: the range is deleted whole only when it holds exactly these entries, all pending.
	if ((await range.count()) === sorted.length && (await pending.count()) === sorted.length) {
		await range.delete();
	} else {
		await db.outbox
			.where('seq')
			.anyOf(sorted)
			.and((entry) => entry.status === 'pending')
			.delete();
	}
}

/** One request of a push: a range check, a check of each prefix, or mutations in full; `entries` are what it is about. */
type Round =
	| { kind: 'range'; body: PushRangeCheck; entries: OutboxEntry[] }
	| { kind: 'check'; body: PushCheck; entries: OutboxEntry[] }
	| { kind: 'push'; body: PushRequest; entries: OutboxEntry[]; last: number };

class SyncFailure extends Error {
	constructor(readonly code: SyncErrorCode) {
		super(`sync failed: ${code}`);
	}
}

function failureCode(failure: TransportFailure): SyncErrorCode {
	return failure.kind;
}

export class SyncEngine {
	readonly #options: Required<Omit<SyncEngineOptions, 'locks'>> & { locks: LockManagerLike | null };
	#inFlight: Promise<SyncOutcome> | null = null;

	constructor(options: SyncEngineOptions) {
		this.#options = {
			now: () => new Date(),
			maxBatchCount: DEFAULT_MAX_BATCH_COUNT,
			maxBatchBytes: 1024 * 1024,
			pullLimit: 500,
			maxPages: 50,
			...options,
			locks: options.locks ?? null
		};
	}

	/** Runs one sync, or joins the one already running in this page. Never throws for network trouble. */
	syncOnce(): Promise<SyncOutcome> {
		this.#inFlight ??= this.#locked().finally(() => (this.#inFlight = null));
		return this.#inFlight;
	}

	#locked(): Promise<SyncOutcome> {
		const { locks } = this.#options;
		return locks ? locks.request(SYNC_LOCK, () => this.#run()) : this.#run();
	}

	async #run(): Promise<SyncOutcome> {
		const { db, credentials } = this.#options;
		try {
			const device = await credentials.load();
			if (!device) throw new SyncFailure('not_enrolled');
			if (await getMeta(db, 'device.revoked')) throw new SyncFailure('device_revoked');
			await adoptQueue(db, device.deviceId);
			const { pushed, rejected } = await this.#push(device);
			const pulled = await this.#pull(device);
			await db.transaction('rw', db.meta, () =>
				db.meta.bulkPut([
					{ key: 'sync.lastSuccessAt', value: this.#options.now().toISOString() },
					{ key: 'sync.lastError', value: null }
				])
			);
			return { ok: true, pushed, rejected, pulled };
		} catch (error) {
			const code: SyncErrorCode = error instanceof SyncFailure ? error.code : 'storage';
			await this.#recordFailure(code);
			return { ok: false, error: code, final: FINAL_ERRORS.has(code) };
		}
	}

	async #recordFailure(code: SyncErrorCode): Promise<void> {
		const { db } = this.#options;
		try {
			await setMeta(db, 'sync.lastError', code);
			if (code === 'device_revoked') await setMeta(db, 'device.revoked', true);
		} catch {
			// The database itself failed: the status panel reads that from the storage check.
		}
	}

	/**
	 * Sends the queue: entries sent before whose answer was lost are asked about with a check, answered from
	 * the server's ledger, no body sent again: first one range check for their whole run (one digest, one
	 * request, a few results), then, if the server cannot settle the range at once, a check of each prefix; the
	 * others, and those a check answers `unknown`, are sent in full. A first push is sent in full at once: no
	 * extra round trip on 2G.
	 */
	async #push(device: DeviceCredentials): Promise<{ pushed: number; rejected: number }> {
		const { db, transport, maxBatchCount } = this.#options;
		let pushed = 0;
		let rejected = 0;
		let renumberings = 0;
		// After a range check the server could not settle, this sync checks prefix by prefix.
		let rangeChecked = false;
		for (;;) {
			const entries = await listPending(db, maxBatchCount);
			if (entries.length === 0) return { pushed, rejected };
			const sent = await sentThrough(db);
			const round =
				(rangeChecked ? null : await this.#rangeCheck(entries, sent)) ?? this.#batch(entries, sent);
			// Must stay true: the mark is durable before the request leaves, so a lost answer is always known.
			if (round.kind === 'push') await markSent(db, round.last);
			const answer = await transport.post('/api/sync/push', round.body, PushResponseSchema, device.token);
			if (!answer.ok) throw new SyncFailure(failureCode(answer));
			await this.#recordOffset(answer.clockOffsetMs);
			const results = expandResults(answer.body.results);
			if (!results) throw new SyncFailure('invalid_response');
			if (round.kind === 'range' && results.length === 0) {
				rangeChecked = true;
				continue;
			}
			const settled = await this.#settle(round.entries, { ...answer.body, results });
			pushed += settled.acked - settled.rejected;
			rejected += settled.rejected;
			if (settled.renumbered) {
				// The queue now continues the server's ledger: send it again, unless this keeps happening.
				if (++renumberings > MAX_RENUMBERINGS) throw new SyncFailure('queue_gap');
				continue;
			}
			// The server never had these: the next round sends them in full. It must start with them, or
			// have taken some: a check that moves nothing would be asked again and again.
			if (settled.unknownFrom !== null) {
				if (settled.acked === 0 && settled.unknownFrom !== round.entries[0]?.mutationId) {
					throw new SyncFailure('queue_gap');
				}
				continue;
			}
			// A batch answered only with 'retry' means the server misses earlier ids: resending cannot help.
			if (settled.acked === 0) throw new SyncFailure('queue_gap');
		}
	}

	/**
	 * A range check of the whole run of leading entries sent before without an answer (beyond this batch,
	 * up to what one range check covers), when there are at least two; null otherwise.
	 */
	async #rangeCheck(entries: OutboxEntry[], sent: number): Promise<Round | null> {
		const { db, maxBatchCount } = this.#options;
		const first = checkable(entries, sent);
		if (first.length < 2) return null;
		const all =
			first.length === maxBatchCount && maxBatchCount < LIMITS.maxMutationsPerRangeCheck
				? await listPending(db, LIMITS.maxMutationsPerRangeCheck)
				: entries;
		const run = checkable(all, sent);
		const digest = await rangeDigestOf(run.map((entry) => entry.digest));
		if (digest === undefined) return null;
		return { kind: 'range', body: toPushRangeCheck(run, digest), entries: all.slice(0, run.length) };
	}

	/** A check of each prefix for the leading entries sent before without an answer, else a push in full. */
	#batch(entries: OutboxEntry[], sent: number): Round {
		const toCheck = checkable(entries, sent);
		if (toCheck.length > 0) {
			return { kind: 'check', body: toPushCheck(toCheck), entries: entries.slice(0, toCheck.length) };
		}
		const batch = boundByBytes(entries, this.#options.maxBatchBytes);
		return {
			kind: 'push',
			body: toPushRequest(batch),
			entries: entries.slice(0, batch.length),
			last: batch.at(-1)?.mutationId ?? 0
		};
	}

	/**
	 * Acknowledges what the server settled in one transaction: applied and duplicates go, rejected stay
	 * visible, `unknown` (a check's answer) are marked to be sent in full. After `id_reused` the pending
	 * queue is renumbered from the server's ledger in the same transaction, so the ids, the counter and
	 * what was acknowledged never disagree.
	 */
	async #settle(
		batch: OutboxEntry[],
		answer: PushResponse
	): Promise<{ acked: number; rejected: number; renumbered: boolean; unknownFrom: number | null }> {
		const { db, now } = this.#options;
		const { results, lastMutationId } = answer;
		// The batch is the first entries read from the queue, in order; each answer names one by its id.
		const sent = new Map(batch.map((entry) => [entry.mutationId, entry.seq]));
		const reused = results.some((result) => result.status === 'retry' && result.reason === 'id_reused');
		const firstUnknown = results.find((result) => result.status === 'unknown' && sent.has(result.mutationId));
		let acked = 0;
		let rejected = 0;
		// Must stay true: an entry leaves the queue only for an answer about that very mutation id (never for
		// the ledger alone: an id below it may have been rejected).
		await db.transaction('rw', db.outbox, db.meta, async (tx) => {
			const accepted: number[] = [];
			for (const result of results) {
				if (!sent.has(result.mutationId)) continue;
				if (result.status === 'rejected') {
					await db.outbox
						.where('mutationId')
						.equals(result.mutationId)
						.modify({ status: 'rejected', rejectedReason: result.reason ?? 'rejected' });
					rejected++;
				} else if (result.status === 'applied' || result.status === 'duplicate') {
					accepted.push(sent.get(result.mutationId) ?? 0);
				} else {
					continue;
				}
				acked++;
			}
			if (accepted.length > 0) await deletePending(db, accepted);
			if (firstUnknown && !reused) await markUnsentFrom(db, firstUnknown.mutationId);
			if (reused) await renumberPendingFrom(tx, lastMutationId + 1);
			if (acked > 0) await db.meta.put({ key: 'sync.lastSentAt', value: now().toISOString() });
		});
		const unknownFrom = firstUnknown && !reused ? firstUnknown.mutationId : null;
		return { acked, rejected, renumbered: reused, unknownFrom };
	}

	async #pull(device: DeviceCredentials): Promise<number> {
		const { db, transport, pullLimit, maxPages } = this.#options;
		let pulled = 0;
		let cursor = (await getMeta(db, 'sync.cursor')) ?? null;
		for (let page = 0; page < maxPages; page++) {
			const request: PullRequest = { protocol: PROTOCOL_VERSION, cursor, limit: pullLimit };
			const answer = await transport.post('/api/sync/pull', request, PullResponseSchema, device.token);
			if (!answer.ok) throw new SyncFailure(failureCode(answer));
			await this.#recordOffset(answer.clockOffsetMs);
			const report = await applyPage(db, answer.body.changes, answer.body.cursor);
			pulled += report.applied;
			cursor = answer.body.cursor;
			if (!answer.body.hasMore) break;
		}
		return pulled;
	}

	#recordOffset(offsetMs: number): Promise<void> {
		return setMeta(this.#options.db, 'sync.clockOffsetMs', Math.round(offsetMs));
	}
}
