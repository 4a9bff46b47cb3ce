import { getStore } from '$lib/server/app';
import { handleCommuneCalendar } from '$lib/server/public/http';
import type { RequestHandler } from './$types';

/** GET /api/open/calendars/communes/<slug>.ics[?download=1]: a commune's iCalendar feed (docs/open-data.md). */
export const GET: RequestHandler = ({ url, params }) => handleCommuneCalendar(getStore(), url, params.slug);
