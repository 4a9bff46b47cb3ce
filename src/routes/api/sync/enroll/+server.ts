import { guardApi } from '$lib/server/access/guard';
import { handleEnroll } from '$lib/server/sync/http';
import type { RequestHandler } from './$types';

/** POST /api/sync/enroll: see docs/sync-protocol.md. */
export const POST: RequestHandler = guardApi('sync.enroll', ({ request }, { store }) =>
	handleEnroll(store, request)
);
