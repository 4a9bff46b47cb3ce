import { guardApi } from '$lib/server/access/guard';
import { handlePull } from '$lib/server/sync/http';
import type { RequestHandler } from './$types';

/** POST /api/sync/pull: see docs/sync-protocol.md. */
export const POST: RequestHandler = guardApi('sync.pull', ({ request }, { store }) =>
	handlePull(store, request)
);
