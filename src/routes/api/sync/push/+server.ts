import { getStore } from '$lib/server/app';
import { handlePush } from '$lib/server/sync/http';
import type { RequestHandler } from './$types';

/** POST /api/sync/push: see docs/sync-protocol.md. */
export const POST: RequestHandler = ({ request }) => handlePush(getStore(), request);
