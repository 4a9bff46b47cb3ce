/**
 * The public read of the schedule: the next service days with where and by which bus. It carries schedule
 * fields only (no visit, referral or device data ever goes to public pages).
 */
import { addDays, compareDates, localDateIn, type LocalDate, type LocalTime } from '$lib/domain/calendar';
import type { ServiceDayStatus } from '$lib/domain/schedule';
import type { Store } from '../store/store';

export interface UpcomingServiceDay {
	id: string;
	date: LocalDate;
	start: LocalTime;
	end: LocalTime;
	status: ServiceDayStatus;
	reason: string | null;
	commune: string;
	postalCode: string;
	place: string;
	busName: string;
	busPhone: string | null;
}

/**
 * The next `limit` service days of the network from `now`. Each bus's "today" is its own zone's: overseas
 * buses are hours behind Paris, so the query starts the day before Paris's date and drops what is past
 * for the bus.
 */
export async function listUpcomingServiceDays(
	store: Store,
	now: Date,
	{ limit, weeks }: { limit: number; weeks: number }
): Promise<UpcomingServiceDay[]> {
	const from = addDays(localDateIn(now, 'Europe/Paris'), -1);
	const days = await store.serviceDays.listBetween({ from, to: addDays(from, weeks * 7 + 1) }, limit * 2);
	const upcoming: UpcomingServiceDay[] = [];
	for (const day of days) {
		const [bus, stop] = await Promise.all([store.buses.get(day.busId), store.stops.get(day.stopId)]);
		if (!bus || !stop) continue;
		if (compareDates(day.date, localDateIn(now, bus.timeZone)) < 0) continue;
		upcoming.push({
			id: day.id,
			date: day.date,
			start: day.start,
			end: day.end,
			status: day.status,
			reason: day.reason,
			commune: stop.commune,
			postalCode: stop.postalCode,
			place: stop.place,
			busName: bus.name,
			busPhone: bus.phone
		});
		if (upcoming.length === limit) break;
	}
	return upcoming;
}
