import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { guard } from '$lib/server/access/guard';
import { communesAround, searchCommunes } from '$lib/server/schedule/places';
import { listUpcomingServiceDays } from '$lib/server/schedule/upcoming';
import type { Actions, PageServerLoad } from './$types';

/** A commune name or a postal code: short, and only what a resident would type. */
const QUERY_MAX = 80;

export const load: PageServerLoad = guard('public.read', async ({ url }, { store }) => {
	const now = new Date();
	const raw = url.searchParams.get('q');
	const query = raw === null ? null : raw.trim().slice(0, QUERY_MAX);
	const [upcoming, busCount, results] = await Promise.all([
		listUpcomingServiceDays(store, now, { limit: 12, weeks: 12 }),
		store.buses.count(),
		query ? searchCommunes(store, query, now) : Promise.resolve(null)
	]);
	return { upcoming, busCount, query, results, updatedAt: now.toISOString() };
});

/**
 * "Autour de moi": the position comes in a POST body (never in a URL: a position is personal data), rounded by the
 * page to about a kilometre, used for this answer only and never stored or logged.
 */
const PositionForm = v.object({
	latitude: v.pipe(
		v.string(),
		v.transform(Number),
		v.number('latitude : nombre attendu'),
		v.minValue(-90, 'latitude : entre -90 et 90'),
		v.maxValue(90, 'latitude : entre -90 et 90')
	),
	longitude: v.pipe(
		v.string(),
		v.transform(Number),
		v.number('longitude : nombre attendu'),
		v.minValue(-180, 'longitude : entre -180 et 180'),
		v.maxValue(180, 'longitude : entre -180 et 180')
	)
});

export const actions: Actions = {
	around: guard('public.read', async ({ request }, { store }) => {
		const form = await request.formData();
		const parsed = v.safeParse(PositionForm, {
			latitude: form.get('latitude') ?? undefined,
			longitude: form.get('longitude') ?? undefined
		});
		if (!parsed.success || Number.isNaN(parsed.output.latitude) || Number.isNaN(parsed.output.longitude)) {
			return fail(400, { aroundError: true as const });
		}
		return { around: await communesAround(store, parsed.output, new Date()) };
	})
};
