import { apiError } from '$lib/server/http/api-error';
import { guardApi } from '$lib/server/access/guard';
import type { RequestHandler } from './$types';

/** Any other address under /api, whatever the method: a JSON 404, like every /api answer. */
export const fallback: RequestHandler = guardApi('public.read', () => apiError('not_found'));
