import { guardApi } from '$lib/server/access/guard';
import { handleCommuneCalendar } from '$lib/server/public/http';
import type { RequestHandler } from './$types';

/** GET /api/open/calendars/communes/<slug>.ics[?download=1]: a commune's iCalendar feed (docs/open-data.md). */
export const GET: RequestHandler = guardApi('public.read', ({ url, params }, { store }) =>
	handleCommuneCalendar(store, url, params.slug)
);
