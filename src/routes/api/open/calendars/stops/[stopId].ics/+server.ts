import { guardApi } from '$lib/server/access/guard';
import { handleStopCalendar } from '$lib/server/public/http';
import type { RequestHandler } from './$types';

/** GET /api/open/calendars/stops/<stopId>.ics[?download=1]: a stop's iCalendar feed (docs/open-data.md). */
export const GET: RequestHandler = guardApi('public.read', ({ url, params }, { store }) =>
	handleStopCalendar(store, url, params.stopId)
);
