import { getStore } from '$lib/server/app';
import { handleEnroll } from '$lib/server/sync/http';
import type { RequestHandler } from './$types';

/** POST /api/sync/enroll: see docs/sync-protocol.md. */
export const POST: RequestHandler = ({ request }) => handleEnroll(getStore(), request);
