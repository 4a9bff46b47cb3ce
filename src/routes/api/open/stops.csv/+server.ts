import { getStore } from '$lib/server/app';
import { handleStops } from '$lib/server/public/http';
import type { RequestHandler } from './$types';

/** GET /api/open/stops.csv: see docs/open-data.md. */
export const GET: RequestHandler = ({ url }) => handleStops(getStore(), url, 'csv');
