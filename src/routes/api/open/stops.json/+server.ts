import { guardApi } from '$lib/server/access/guard';
import { handleStops } from '$lib/server/public/http';
import type { RequestHandler } from './$types';

/** GET /api/open/stops.json: see docs/open-data.md. */
export const GET: RequestHandler = guardApi('public.read', ({ url }, { store }) =>
	handleStops(store, url, 'json')
);
