import { error } from '@sveltejs/kit';
import { communeSlug } from '$lib/domain/commune-slug';
import { guard } from '$lib/server/access/guard';
import { readStop } from '$lib/server/schedule/places';
import type { PageServerLoad } from './$types';

/** One stop (a place where a bus parks), at a stable address: its id. */
export const load: PageServerLoad = guard('public.read', async ({ params }, { store }) => {
	if (!/^[A-Za-z0-9_-]{1,80}$/.test(params.id)) error(404, { message: 'stop' });
	const now = new Date();
	const stop = await readStop(store, params.id, now);
	if (!stop) error(404, { message: 'stop' });
	return { stop, communeSlug: communeSlug(stop.commune, stop.insee), updatedAt: now.toISOString() };
});
