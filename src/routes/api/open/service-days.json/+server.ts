import { guardApi } from '$lib/server/access/guard';
import { handleServiceDays } from '$lib/server/public/http';
import type { RequestHandler } from './$types';

/** GET /api/open/service-days.json: see docs/open-data.md. */
export const GET: RequestHandler = guardApi('public.read', ({ url }, { store }) =>
	handleServiceDays(store, url, 'json')
);
