import { getStore } from '$lib/server/app';
import { handleServiceDays } from '$lib/server/public/http';
import type { RequestHandler } from './$types';

/** GET /api/open/service-days.csv: see docs/open-data.md. */
export const GET: RequestHandler = ({ url }) => handleServiceDays(getStore(), url, 'csv');
