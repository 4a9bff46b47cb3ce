/** What the crew home reads from the tablet's database: its bus and its next service days with their stops. */
import { getMeta } from '$lib/client/db/meta';
import type { EscaleDb } from '$lib/client/db/schema';
import { getBus, listServiceDays, listStops } from '$lib/client/db/schedule';
import { addDays, localDateIn } from '$lib/domain/calendar';
import type { Bus, ServiceDay, Stop } from '$lib/domain/schedule';

export interface ServiceDayWithStop extends ServiceDay {
	stop: Stop | null;
}

export interface CrewHome {
	bus: Bus | null;
	/** The bus's service days of its own today (usually one; a bus may serve two villages in a day). */
	today: ServiceDayWithStop[];
	/** The next service days after today. */
	nextDays: ServiceDayWithStop[];
}

/** Today's service days and the next `count` ones, from the bus's own today, over the 12 weeks the tablet holds. */
export async function readCrewHome(db: EscaleDb, count: number, now: Date = new Date()): Promise<CrewHome> {
	const busId = await getMeta(db, 'device.busId');
	const bus = busId ? ((await getBus(db, busId)) ?? null) : null;
	if (!bus) return { bus: null, today: [], nextDays: [] };
	const today = localDateIn(now, bus.timeZone);
	const [days, stops] = await Promise.all([
		listServiceDays(db, bus.id, today, addDays(today, 12 * 7)),
		listStops(db, bus.id)
	]);
	const stopById = new Map(stops.map((stop) => [stop.id, stop]));
	const withStop = (day: ServiceDay) => ({ ...day, stop: stopById.get(day.stopId) ?? null });
	return {
		bus,
		today: days.filter((day) => day.date === today).map(withStop),
		nextDays: days
			.filter((day) => day.date !== today)
			.slice(0, count)
			.map(withStop)
	};
}
