import { getStore } from '$lib/server/app';
import { listUpcomingServiceDays } from '$lib/server/schedule/upcoming';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const store = getStore();
	const [upcoming, busCount] = await Promise.all([
		listUpcomingServiceDays(store, new Date(), { limit: 12, weeks: 12 }),
		store.buses.count()
	]);
	return { upcoming, busCount };
};
