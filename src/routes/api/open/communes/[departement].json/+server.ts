import { guardApi } from '$lib/server/access/guard';
import { handleCommunesOfDepartement } from '$lib/server/communes/http';
import type { RequestHandler } from './$types';

/** GET /api/open/communes/<département>.json: the département's communes (docs/open-data.md). */
export const GET: RequestHandler = guardApi('public.read', ({ params }) =>
	handleCommunesOfDepartement(params.departement)
);
