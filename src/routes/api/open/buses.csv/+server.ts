import { getStore } from '$lib/server/app';
import { handleBuses } from '$lib/server/public/http';
import type { RequestHandler } from './$types';

/** GET /api/open/buses.csv: see docs/open-data.md. */
export const GET: RequestHandler = ({ url }) => handleBuses(getStore(), url, 'csv');
