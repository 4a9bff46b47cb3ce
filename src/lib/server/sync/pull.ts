/**
 * POST /api/sync/pull: the device's bus's changes after its cursor, one page at a time, in commit order.
 * The acknowledgement ledger is read before the changes, so every mutation it counts is already in them.
 */
import { decodeCursor, encodeCursor } from '$lib/sync/cursor';
import { LIMITS, PullRequestSchema, type PullResponse } from '$lib/sync/protocol';
import type { Store } from '../store/store';
import { authenticate } from './auth';
import { parseBody, readJsonBody } from './body';
import { SyncError, jsonResponse } from './errors';

export async function pull(store: Store, request: Request, now: () => Date): Promise<Response> {
	const device = await authenticate(store, request);
	const body = parseBody(PullRequestSchema, await readJsonBody(request, LIMITS.maxSmallBodyBytes));
	const after = decodeCursor(body.cursor);
	if (after === null) throw new SyncError('invalid_body', 'cursor : curseur inconnu de ce serveur', 'cursor');
	const limit = body.limit ?? LIMITS.defaultPullLimit;
	const at = now().toISOString();

	const { changes, lastSeq } = await store.transaction(async (tx) => {
		const lastSeq = await tx.changeLog.lastSeq();
		const changes = after > lastSeq ? [] : await tx.changeLog.listForBus(device.busId, after, limit + 1);
		await tx.devices.acknowledge(device.id, device.lastMutationId, at);
		return { changes, lastSeq };
	});
	if (after > lastSeq) {
		// A cursor from the future: the database was restored from an older backup. Start again.
		throw new SyncError(
			'invalid_body',
			'cursor : curseur en avance sur ce serveur, reprenez avec cursor: null',
			'cursor'
		);
	}
	const page = changes.slice(0, limit);
	const response: PullResponse = {
		protocol: body.protocol,
		changes: page.map((change) => (change.op === 'delete' ? { ...change, data: undefined } : change)),
		cursor: encodeCursor(page.at(-1)?.seq ?? after),
		hasMore: changes.length > limit,
		lastMutationId: device.lastMutationId,
		serverTime: at
	};
	return jsonResponse(200, response);
}
