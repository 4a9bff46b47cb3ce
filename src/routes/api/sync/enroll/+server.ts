import { guardApi } from '$lib/server/access/guard';
import { readClientAddress } from '$lib/server/http/client-address';
import { handleEnroll } from '$lib/server/sync/http';
import type { RequestHandler } from './$types';

/** POST /api/sync/enroll: see docs/sync-protocol.md (failed attempts are limited per client address). */
export const POST: RequestHandler = guardApi('sync.enroll', ({ request, getClientAddress }, { store }) =>
	handleEnroll(store, request, undefined, { clientAddress: readClientAddress(getClientAddress) })
);
