/**
 * The bus's schedule on the tablet: its bus, stops and service days, as the coordinators published them.
 * The tablet never edits these rows; it replaces them with what the server sends (enrollment, pull).
 */
import type { LocalDate } from '$lib/domain/calendar';
import type { Bus, ServiceDay, Stop } from '$lib/domain/schedule';
import { withStorageErrors } from './errors';
import type { EscaleDb } from './schema';

/** Everything the tablet holds about one bus's schedule. */
export interface BusSchedule {
	bus: Bus;
	stops: Stop[];
	serviceDays: ServiceDay[];
}

/**
 * Replaces one bus's schedule with `schedule`: rows of that bus that are not in it are removed. Joins the
 * caller's transaction when there is one, so a pull can write the page and its cursor together.
 */
export async function replaceSchedule(db: EscaleDb, schedule: BusSchedule): Promise<void> {
	const busId = schedule.bus.id;
	const strays = [...schedule.stops, ...schedule.serviceDays].filter((row) => row.busId !== busId);
	if (strays.length > 0)
		throw new Error(`replaceSchedule: ${strays.length} rows belong to another bus than ${busId}`);
	const stopIds = new Set(schedule.stops.map((stop) => stop.id));
	const dayIds = new Set(schedule.serviceDays.map((day) => day.id));

	// Must stay true: the tablet never shows half of an old schedule and half of a new one.
	await withStorageErrors(() =>
		db.transaction('rw', db.buses, db.stops, db.serviceDays, async () => {
			await db.buses.put(schedule.bus);
			await db.stops
				.where('busId')
				.equals(busId)
				.and((stop) => !stopIds.has(stop.id))
				.delete();
			await db.serviceDays
				.where('[busId+date]')
				.between([busId, ''], [busId, '\uffff'])
				.and((day) => !dayIds.has(day.id))
				.delete();
			await db.stops.bulkPut(schedule.stops);
			await db.serviceDays.bulkPut(schedule.serviceDays);
		})
	);
}

/** A bus's service days from `from` to `to` (both included), in the order they happen. */
export async function listServiceDays(
	db: EscaleDb,
	busId: string,
	from: LocalDate,
	to: LocalDate
): Promise<ServiceDay[]> {
	const days = await db.serviceDays
		.where('[busId+date]')
		.between([busId, from], [busId, to], true, true)
		.toArray();
	return days.sort((a, b) => a.date.localeCompare(b.date) || a.start.localeCompare(b.start));
}

export function getServiceDay(db: EscaleDb, id: string): Promise<ServiceDay | undefined> {
	return db.serviceDays.get(id);
}

export function getBus(db: EscaleDb, id: string): Promise<Bus | undefined> {
	return db.buses.get(id);
}

/** A bus's stops, by commune name. */
export async function listStops(db: EscaleDb, busId: string): Promise<Stop[]> {
	const stops = await db.stops.where('busId').equals(busId).toArray();
	return stops.sort((a, b) => a.commune.localeCompare(b.commune, 'fr'));
}
