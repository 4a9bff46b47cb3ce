import { getStore } from '$lib/server/app';
import { handleStopCalendar } from '$lib/server/public/http';
import type { RequestHandler } from './$types';

/** GET /api/open/calendars/stops/<stopId>.ics[?download=1]: a stop's iCalendar feed (docs/open-data.md). */
export const GET: RequestHandler = ({ url, params }) => handleStopCalendar(getStore(), url, params.stopId);
