/**
 * The open data of the public schedule (docs/open-data.md): buses, stops (with their `opening_hours`) and
 * service days, as plain records ready for JSON or CSV. Schedule fields only: nothing here reads visits,
 * referrals, reports, devices or coordinators, and no field of those tables is ever copied out.
 */
import {
	addDays,
	compareDates,
	localDateIn,
	toInstant,
	type LocalDate,
	type LocalTime
} from '$lib/domain/calendar';
import { communeSlug } from '$lib/domain/commune-slug';
import type { Bus, CircuitRule, ServiceDayStatus, Stop } from '$lib/domain/schedule';
import type { Territory } from '$lib/domain/territory';
import type { Store, StoredServiceDay } from '../store/store';
import type { CsvColumn } from './csv';
import { openingHoursOf } from './opening-hours';

export const LICENCE = {
	name: 'Licence Ouverte 2.0 (Etalab)',
	url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/'
} as const;

/** How far ahead a stop's `opening_hours` details its exceptions and explicit dates. */
export const OPENING_HOURS_DAYS = 366;
/** The default window of the service days: today and the next 12 weeks. */
export const DEFAULT_WINDOW_DAYS = 12 * 7;
/** The longest window one request may ask for, both ends included. */
export const MAX_WINDOW_DAYS = 366;
/** More service days than this in one answer are cut, and the answer says so (`truncated`). */
export const MAX_SERVICE_DAYS = 50_000;

export interface OpenBus {
	id: string;
	anctId: string;
	name: string;
	kind: Bus['kind'];
	departement: string;
	territory: Territory;
	timeZone: string;
	homeInsee: string;
	homeCommune: string;
	homePostalCode: string;
	homeAddress: string;
	latitude: number;
	longitude: number;
	phone: string | null;
	email: string | null;
	takesAppointments: boolean;
}

export interface OpenStop {
	id: string;
	busId: string;
	insee: string;
	communeSlug: string;
	commune: string;
	postalCode: string;
	place: string;
	address: string | null;
	accessNotes: string | null;
	latitude: number;
	longitude: number;
	timeZone: string;
	openingHours: string | null;
	openingHoursNotes: string[];
	pageUrl: string;
	calendarUrl: string;
	/** Opened by a crew off-plan: its coordinates are approximate (another stop of the bus in the commune, or its home). */
	offPlan: boolean;
}

export interface OpenServiceDay {
	id: string;
	busId: string;
	stopId: string;
	insee: string;
	commune: string;
	place: string;
	date: LocalDate;
	start: LocalTime;
	end: LocalTime;
	timeZone: string;
	/** The instants, ISO 8601 UTC: what `date` + `start` / `end` mean in the bus's zone. */
	startsAt: string;
	endsAt: string;
	status: ServiceDayStatus;
	reason: string | null;
	/** Grows each time the day changes (the calendar feeds' SEQUENCE). */
	sequence: number;
	/** Opened by a crew on the day, off its circuit (held from the start). */
	offPlan: boolean;
}

/** Plain copies: a field added to `Bus` later does not leak into the open data unless listed here. */
function toOpenBus(bus: Bus): OpenBus {
	return {
		id: bus.id,
		anctId: bus.anctId,
		name: bus.name,
		kind: bus.kind,
		departement: bus.departement,
		territory: bus.territory,
		timeZone: bus.timeZone,
		homeInsee: bus.homeInsee,
		homeCommune: bus.homeCommune,
		homePostalCode: bus.homePostalCode,
		homeAddress: bus.homeAddress,
		latitude: bus.latitude,
		longitude: bus.longitude,
		phone: bus.phone,
		email: bus.email,
		takesAppointments: bus.takesAppointments
	};
}

/** The stored revision starts at 1; an iCalendar SEQUENCE starts at 0. */
export function sequenceOf(day: Pick<StoredServiceDay, 'revision'>): number {
	return Math.max(0, day.revision - 1);
}

export function stopPageUrl(origin: string, stopId: string): string {
	return `${origin}/arrets/${encodeURIComponent(stopId)}`;
}

export function stopCalendarUrl(origin: string, stopId: string): string {
	return `${origin}/api/open/calendars/stops/${encodeURIComponent(stopId)}.ics`;
}

export function communeCalendarUrl(origin: string, slug: string): string {
	return `${origin}/api/open/calendars/communes/${encodeURIComponent(slug)}.ics`;
}

/** Every bus of the national list, by id. */
export async function listOpenBuses(store: Store): Promise<OpenBus[]> {
	return (await store.buses.list()).map(toOpenBus);
}

/** Every stop of every bus, by bus then stop id, with its hours from today (in its bus's zone). */
export async function listOpenStops(store: Store, origin: string, now: Date): Promise<OpenStop[]> {
	const stops: OpenStop[] = [];
	for (const bus of await store.buses.list()) {
		const busStops = await store.stops.listByBus(bus.id);
		if (busStops.length === 0) continue;
		const rules: CircuitRule[] = (await store.circuits.listByBus(bus.id)).flatMap((circuit) => circuit.rules);
		const today = localDateIn(now, bus.timeZone);
		const horizon = { from: today, to: addDays(today, OPENING_HOURS_DAYS - 1) };
		const days = await store.serviceDays.listByBus(bus.id, horizon);
		for (const stop of [...busStops].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
			const hours = openingHoursOf(stop.id, rules, bus.territory, horizon, days);
			stops.push(toOpenStop(stop, bus, origin, hours));
		}
	}
	return stops;
}

function toOpenStop(
	stop: Stop,
	bus: Bus,
	origin: string,
	hours: { value: string | null; notes: string[] }
): OpenStop {
	return {
		id: stop.id,
		busId: stop.busId,
		insee: stop.insee,
		communeSlug: communeSlug(stop.commune, stop.insee),
		commune: stop.commune,
		postalCode: stop.postalCode,
		place: stop.place,
		address: stop.address,
		accessNotes: stop.accessNotes,
		latitude: stop.latitude,
		longitude: stop.longitude,
		timeZone: bus.timeZone,
		openingHours: hours.value,
		openingHoursNotes: hours.notes,
		pageUrl: stopPageUrl(origin, stop.id),
		calendarUrl: stopCalendarUrl(origin, stop.id),
		offPlan: stop.offPlan === true
	};
}

export interface ServiceDayQuery {
	from: LocalDate;
	to: LocalDate;
	/** One bus only; null for the whole network. */
	busId: string | null;
}

/** The service days of the window (both ends), by date then start time; days of unknown stops are left out. */
export async function listOpenServiceDays(
	store: Store,
	query: ServiceDayQuery,
	limit = MAX_SERVICE_DAYS
): Promise<{ days: OpenServiceDay[]; truncated: boolean }> {
	const range = { from: query.from, to: query.to };
	let stored =
		query.busId === null
			? await store.serviceDays.listBetween(range, limit + 1)
			: await store.serviceDays.listByBus(query.busId, range);
	const truncated = stored.length > limit;
	if (truncated) stored = stored.slice(0, limit);
	const buses = new Map<string, Bus | null>();
	const stops = new Map<string, Stop | null>();
	const days: OpenServiceDay[] = [];
	for (const day of stored) {
		if (!buses.has(day.busId)) buses.set(day.busId, await store.buses.get(day.busId));
		if (!stops.has(day.stopId)) stops.set(day.stopId, await store.stops.get(day.stopId));
		const bus = buses.get(day.busId);
		const stop = stops.get(day.stopId);
		if (!bus || !stop) continue;
		days.push(toOpenServiceDay(day, bus, stop));
	}
	return { days, truncated };
}

export function toOpenServiceDay(day: StoredServiceDay, bus: Bus, stop: Stop): OpenServiceDay {
	return {
		id: day.id,
		busId: day.busId,
		stopId: day.stopId,
		insee: stop.insee,
		commune: stop.commune,
		place: stop.place,
		date: day.date,
		start: day.start,
		end: day.end,
		timeZone: bus.timeZone,
		startsAt: toInstant(day.date, day.start, bus.timeZone).toISOString(),
		endsAt: toInstant(day.date, day.end, bus.timeZone).toISOString(),
		status: day.status,
		reason: day.reason,
		sequence: sequenceOf(day),
		offPlan: day.offPlan === true
	};
}

/** Whether `to` is at most `MAX_WINDOW_DAYS` days on from `from` (both counted). */
export function isWindowAllowed(from: LocalDate, to: LocalDate): boolean {
	return compareDates(from, to) <= 0 && compareDates(to, addDays(from, MAX_WINDOW_DAYS - 1)) <= 0;
}

/** The CSV columns, in order; `docs/open-data.md` documents each. */
export const BUS_COLUMNS: readonly CsvColumn<OpenBus>[] = (
	[
		'id',
		'anctId',
		'name',
		'kind',
		'departement',
		'territory',
		'timeZone',
		'homeInsee',
		'homeCommune',
		'homePostalCode',
		'homeAddress',
		'latitude',
		'longitude',
		'phone',
		'email',
		'takesAppointments'
	] as const
).map((name) => ({ name, value: (bus: OpenBus) => bus[name] }));

export const STOP_COLUMNS: readonly CsvColumn<OpenStop>[] = [
	...(
		[
			'id',
			'busId',
			'insee',
			'communeSlug',
			'commune',
			'postalCode',
			'place',
			'address',
			'accessNotes',
			'latitude',
			'longitude',
			'timeZone',
			'openingHours'
		] as const
	).map((name) => ({ name, value: (stop: OpenStop) => stop[name] })),
	{ name: 'openingHoursNotes', value: (stop) => stop.openingHoursNotes.join(' ') },
	{ name: 'pageUrl', value: (stop) => stop.pageUrl },
	{ name: 'calendarUrl', value: (stop) => stop.calendarUrl },
	{ name: 'offPlan', value: (stop) => stop.offPlan }
];

export const SERVICE_DAY_COLUMNS: readonly CsvColumn<OpenServiceDay>[] = (
	[
		'id',
		'busId',
		'stopId',
		'insee',
		'commune',
		'place',
		'date',
		'start',
		'end',
		'timeZone',
		'startsAt',
		'endsAt',
		'status',
		'reason',
		'sequence',
		'offPlan'
	] as const
).map((name) => ({ name, value: (day: OpenServiceDay) => day[name] }));
