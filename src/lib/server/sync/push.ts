/**
 * POST /api/sync/push: a batch of mutations, applied in one transaction, deduplicated by (device,
 * mutationId), answered only after the commit. See docs/sync-protocol.md for the statuses.
 */
import {
	LIMITS,
	PROTOCOL_VERSION,
	PushRequestSchema,
	type MutationResult,
	type PushResponse
} from '$lib/sync/protocol';
import type { Store } from '../store/store';
import { applyMutation, createPushSession } from './apply';
import { authenticate } from './auth';
import { parseBody, readJsonBody } from './body';
import { SyncError, jsonResponse } from './errors';

export async function push(store: Store, request: Request, now: () => Date): Promise<Response> {
	const authenticated = await authenticate(store, request);
	const body = parseBody(PushRequestSchema, await readJsonBody(request, LIMITS.maxPushBytes));
	const receivedAt = now().toISOString();

	// What must stay true: every applied record, every recorded rejection and the device's acknowledgement
	// ledger commit together or not at all; an id at or below the ledger is never applied twice; nothing is
	// applied past a gap (ids are dense, so a gap means an earlier mutation has not arrived yet).
	const { results, lastMutationId } = await store.transaction(async (tx) => {
		const device = await tx.devices.get(authenticated.id);
		if (!device || device.revokedAt !== null) {
			throw new SyncError('device_revoked', 'Cette tablette a été révoquée par la coordination.');
		}
		const results: MutationResult[] = [];
		const session = createPushSession(tx, device, receivedAt);
		// Read ahead in one query each: the rejections a replay answers with, the visits the batch creates.
		const replayed = body.mutations.filter((mutation) => mutation.mutationId <= device.lastMutationId);
		const rejections = await tx.syncRecords.getRejections(
			device.id,
			replayed.map((mutation) => mutation.mutationId)
		);
		await session.visits.readAhead(
			body.mutations.filter((mutation) => mutation.mutationId > device.lastMutationId)
		);
		let last = device.lastMutationId;
		let blocked = false;
		for (const mutation of body.mutations) {
			const { mutationId } = mutation;
			if (mutationId <= device.lastMutationId) {
				// A replay: answer as the first time (a rejection stays a rejection), change nothing.
				const rejection = rejections.get(mutationId);
				results.push(
					rejection
						? {
								mutationId,
								status: 'rejected',
								reason: rejection.reason,
								...(rejection.detail ? { detail: rejection.detail } : {})
							}
						: { mutationId, status: 'duplicate' }
				);
				continue;
			}
			if (blocked || mutationId !== last + 1) {
				blocked = true;
				results.push({ mutationId, status: 'retry', reason: 'gap' });
				continue;
			}
			// Most visits are decided without the store: await only when the answer is a promise.
			const answer = applyMutation(tx, device, mutation, receivedAt, session);
			const outcome = answer instanceof Promise ? await answer : answer;
			if (outcome.status === 'rejected') {
				await tx.syncRecords.insertRejection({
					deviceId: device.id,
					busId: device.busId,
					mutationId,
					kind: mutation.kind,
					entityId: mutation.entityId,
					reason: outcome.reason,
					detail: outcome.detail,
					payload: JSON.stringify(outcome.kept ?? null),
					at: receivedAt
				});
				results.push({ mutationId, status: 'rejected', reason: outcome.reason, detail: outcome.detail });
			} else {
				results.push({ mutationId, status: 'applied' });
			}
			last = mutationId;
		}
		// The visits still buffered are written before the ledger moves, in this same transaction.
		await session.visits.flush();
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
