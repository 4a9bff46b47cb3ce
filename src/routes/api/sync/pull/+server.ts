import { getStore } from '$lib/server/app';
import { handlePull } from '$lib/server/sync/http';
import type { RequestHandler } from './$types';

/** POST /api/sync/pull: see docs/sync-protocol.md. */
export const POST: RequestHandler = ({ request }) => handlePull(getStore(), request);
