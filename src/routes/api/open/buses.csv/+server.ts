import { guardApi } from '$lib/server/access/guard';
import { handleBuses } from '$lib/server/public/http';
import type { RequestHandler } from './$types';

/** GET /api/open/buses.csv: see docs/open-data.md. */
export const GET: RequestHandler = guardApi('public.read', ({ url }, { store }) =>
	handleBuses(store, url, 'csv')
);
