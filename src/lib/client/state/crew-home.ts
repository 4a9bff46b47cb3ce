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
	nextDays: ServiceDayWithStop[];
}

/** The next `count` service days from the bus's own today, over the 12 weeks the tablet holds. */
export async function readCrewHome(db: EscaleDb, count: number, now: Date = new Date()): Promise<CrewHome> {
	const busId = await getMeta(db, 'device.busId');
	const bus = busId ? ((await getBus(db, busId)) ?? null) : null;
	if (!bus) return { bus: null, nextDays: [] };
	const today = localDateIn(now, bus.timeZone);
	const [days, stops] = await Promise.all([
		listServiceDays(db, bus.id, today, addDays(today, 12 * 7)),
		listStops(db, bus.id)
	]);
	const stopById = new Map(stops.map((stop) => [stop.id, stop]));
	return {
		bus,
		nextDays: days.slice(0, count).map((day) => ({ ...day, stop: stopById.get(day.stopId) ?? null }))
	};
}
