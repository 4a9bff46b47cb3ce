import { guardApi } from '$lib/server/access/guard';
import { handlePush } from '$lib/server/sync/http';
import type { RequestHandler } from './$types';

/** POST /api/sync/push: see docs/sync-protocol.md. */
export const POST: RequestHandler = guardApi('sync.push', ({ request }, { store }) =>
	handlePush(store, request)
);
