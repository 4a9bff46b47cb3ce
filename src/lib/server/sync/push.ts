/**
 * POST /api/sync/push: a batch of mutations, applied in one transaction, deduplicated by (device,
 * mutationId), answered only after the commit. See docs/sync-protocol.md for the statuses.
 *
 * An id at or below the device's ledger is a replay only if it is the same mutation: the server keeps a
 * digest of each acknowledged one and compares. Another mutation under an old id (a restored or cleared
 * tablet counting again) is never taken for a duplicate: it and everything after it in the request are
 * answered `retry` / `id_reused`, and the tablet renumbers its queue from `lastMutationId + 1`.
 */
import { hash } from 'node:crypto';
import {
	LIMITS,
	PROTOCOL_VERSION,
	PushRequestSchema,
	type MutationResult,
	type PushResponse,
	type RetryReason
} from '$lib/sync/protocol';
import type { MutationDigest, RejectedMutationRecord, Store } from '../store/store';
import { applyMutation, createPushSession, type IncomingMutation } from './apply';
import { authenticate } from './auth';
import { parseBody, readJsonBody } from './body';
import { SyncError, jsonResponse } from './errors';
import { recordRejection } from './rejections';

/** SHA-256, hex, of a mutation as the tablet sent it; `createdAt` is left out (informative only). */
export function digestMutation(mutation: IncomingMutation): string {
	const { kind, entityId, schemaVersion, payload } = mutation;
	// One-shot hash: about twice as fast as createHash for a few hundred bytes, and a push hashes each mutation.
	return hash('sha256', JSON.stringify([kind, entityId, schemaVersion, payload ?? null]), 'hex');
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

export async function push(store: Store, request: Request, now: () => Date): Promise<Response> {
	const authenticated = await authenticate(store, request);
	const body = parseBody(PushRequestSchema, await readJsonBody(request, LIMITS.maxPushBytes));
	const receivedAt = now().toISOString();

	// What must stay true: every applied record, every recorded rejection, their digests and the device's
	// acknowledgement ledger commit together or not at all; an id at or below the ledger is never applied
	// twice, nor taken for a duplicate unless its digest matches; nothing is applied past a gap or a reused
	// id (ids are dense and applied in order).
	const { results, lastMutationId } = await store.transaction(async (tx) => {
		const device = await tx.devices.get(authenticated.id);
		if (!device || device.revokedAt !== null) {
			throw new SyncError('device_revoked', 'Cette tablette a été révoquée par la coordination.');
		}
		const ledger = device.lastMutationId;
		const session = createPushSession(tx, device, receivedAt);
		// Read ahead in one query each: the digests and rejections a replay is checked and answered with
		// (none in an ordinary push), the visits the batch creates.
		const replayIds = body.mutations.filter((m) => m.mutationId <= ledger).map((m) => m.mutationId);
		const [digests, rejections] =
			replayIds.length === 0
				? [new Map<number, string>(), new Map<number, RejectedMutationRecord>()]
				: [
						await tx.syncRecords.getMutationDigests(device.id, replayIds),
						await tx.syncRecords.getRejections(device.id, replayIds)
					];
		await session.visits.readAhead(body.mutations.filter((m) => m.mutationId > ledger));

		const results: MutationResult[] = [];
		const acknowledged: MutationDigest[] = [];
		let last = ledger;
		let blocked: RetryReason | null = null;
		for (const mutation of body.mutations) {
			const { mutationId } = mutation;
			if (blocked === null && mutationId <= ledger) {
				// Ids acknowledged before digests were kept have none: never taken for a duplicate either.
				if (digests.get(mutationId) === digestMutation(mutation)) {
					results.push(replayed(mutationId, rejections.get(mutationId)));
					continue;
				}
				blocked = 'id_reused';
			} else if (blocked === null && mutationId !== last + 1) {
				blocked = 'gap';
			}
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
		// The visits still buffered are written before the ledger moves, in this same transaction.
		await session.visits.flush();
		await tx.syncRecords.insertMutationDigests(device.id, acknowledged);
		await tx.devices.acknowledge(device.id, last, receivedAt);
		return { results, lastMutationId: last };
	});

	const response: PushResponse = {
		protocol: PROTOCOL_VERSION,
		results,
		lastMutationId,
		serverTime: receivedAt
	};
	return jsonResponse(200, response);
}
