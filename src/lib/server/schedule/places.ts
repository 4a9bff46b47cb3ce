/**
 * The public read models of places: the communes the buses serve (found by name, postal code or position), one
 * commune with its stops and their next service days, one stop. Schedule fields only: no visit, referral or
 * device data ever goes to public pages.
 */
import { addDays, compareDates, localDateIn, type LocalDate, type LocalTime } from '$lib/domain/calendar';
import { communeSlug } from '$lib/domain/commune-slug';
import { placeScore, readPlaceQuery } from '$lib/domain/place-search';
import type { Bus, ServiceDayStatus, Stop } from '$lib/domain/schedule';
import type { Store, StoredServiceDay } from '../store/store';

/** How far ahead the public pages look (the tablets hold the same 12 weeks). */
export const PUBLIC_WEEKS = 12;

export interface PublicServiceDay {
	id: string;
	date: LocalDate;
	start: LocalTime;
	end: LocalTime;
	status: ServiceDayStatus;
	reason: string | null;
	/** Set on a day a crew opened off-plan (held, "hors circuit"). */
	offPlan?: true;
}

export interface PublicBus {
	id: string;
	name: string;
	phone: string | null;
	timeZone: string;
}

export interface PublicStop {
	id: string;
	insee: string;
	commune: string;
	postalCode: string;
	place: string;
	address: string | null;
	accessNotes: string | null;
	latitude: number;
	longitude: number;
	bus: PublicBus;
	days: PublicServiceDay[];
}

export interface CommuneSummary {
	insee: string;
	name: string;
	postalCode: string;
	slug: string;
	/** The first coming service day at any of its stops (cancelled ones included: the page says so). */
	next: (PublicServiceDay & { place: string; busName: string }) | null;
	/** Kilometres from the searcher, when searching around a position. */
	distanceKm?: number;
}

export interface CommunePage {
	insee: string;
	name: string;
	postalCode: string;
	slug: string;
	stops: PublicStop[];
}

const publicBus = (bus: Bus): PublicBus => ({
	id: bus.id,
	name: bus.name,
	phone: bus.phone,
	timeZone: bus.timeZone
});

/** Every served stop with its bus (buses without a stop have no schedule to show): two reads in all. */
export async function listServedStops(store: Store): Promise<{ stop: Stop; bus: Bus }[]> {
	const [buses, stops] = await Promise.all([store.buses.list(), store.stops.listAll()]);
	const busById = new Map(buses.map((bus) => [bus.id, bus]));
	return stops.flatMap((stop) => {
		const bus = busById.get(stop.busId);
		return bus ? [{ stop, bus }] : [];
	});
}

/** The stop's service days from the bus's own today, over the public window (or `weeks`). */
async function daysOf(
	store: Store,
	stop: Stop,
	bus: Bus,
	now: Date,
	weeks = PUBLIC_WEEKS
): Promise<PublicServiceDay[]> {
	const today = localDateIn(now, bus.timeZone);
	const days = await store.serviceDays.listByStop(stop.id, { from: today, to: addDays(today, weeks * 7) });
	return days.map(toPublicDay);
}

/** What the public sees of a service day: its schedule fields, nothing of who recorded what. */
function toPublicDay({ id, date, start, end, status, reason, offPlan }: StoredServiceDay): PublicServiceDay {
	return { id, date, start, end, status, reason, ...(offPlan ? { offPlan } : {}) };
}

async function toPublicStop(
	store: Store,
	stop: Stop,
	bus: Bus,
	now: Date,
	weeks = PUBLIC_WEEKS
): Promise<PublicStop> {
	return {
		id: stop.id,
		insee: stop.insee,
		commune: stop.commune,
		postalCode: stop.postalCode,
		place: stop.place,
		address: stop.address,
		accessNotes: stop.accessNotes,
		latitude: stop.latitude,
		longitude: stop.longitude,
		bus: publicBus(bus),
		days: await daysOf(store, stop, bus, now, weeks)
	};
}

const byDateThenTime = (a: PublicServiceDay, b: PublicServiceDay) =>
	compareDates(a.date, b.date) || a.start.localeCompare(b.start);

/**
 * Each stop's first service day within the public window from its own bus's today, in one read whatever the
 * number of stops (a search for "Saint" matches hundreds: one read each queued behind the pushes on a busy
 * server, npm run bench:load).
 */
async function nextDays(
	store: Store,
	entries: { stop: Stop; bus: Bus }[],
	now: Date
): Promise<Map<string, PublicServiceDay>> {
	const next = new Map<string, PublicServiceDay>();
	if (entries.length === 0) return next;
	const windows = new Map(
		entries.map(({ stop, bus }) => {
			const from = localDateIn(now, bus.timeZone);
			return [stop.id, { from, to: addDays(from, PUBLIC_WEEKS * 7) }];
		})
	);
	const all = [...windows.values()];
	const from = all.reduce((min, w) => (compareDates(w.from, min) < 0 ? w.from : min), all[0]!.from);
	const to = all.reduce((max, w) => (compareDates(w.to, max) > 0 ? w.to : max), all[0]!.to);
	// Ordered by date then start: a stop's first day in its own window is its next one.
	for (const day of await store.serviceDays.listByStops([...windows.keys()], { from, to })) {
		const window = windows.get(day.stopId);
		if (!window || next.has(day.stopId)) continue;
		if (compareDates(day.date, window.from) < 0 || compareDates(day.date, window.to) > 0) continue;
		next.set(day.stopId, toPublicDay(day));
	}
	return next;
}

/** Groups stops by commune and finds each commune's next service day. */
async function summarize(
	store: Store,
	entries: { stop: Stop; bus: Bus }[],
	now: Date
): Promise<CommuneSummary[]> {
	const byInsee = new Map<string, { stop: Stop; bus: Bus }[]>();
	for (const entry of entries)
		byInsee.set(entry.stop.insee, [...(byInsee.get(entry.stop.insee) ?? []), entry]);
	const firstDays = await nextDays(store, entries, now);
	const summaries: CommuneSummary[] = [];
	for (const [insee, stops] of byInsee) {
		const first = stops[0]!.stop;
		let next: CommuneSummary['next'] = null;
		for (const { stop, bus } of stops) {
			const day = firstDays.get(stop.id);
			if (day && (!next || byDateThenTime(day, next) < 0))
				next = { ...day, place: stop.place, busName: bus.name };
		}
		summaries.push({
			insee,
			name: first.commune,
			postalCode: first.postalCode,
			slug: communeSlug(first.commune, insee),
			next
		});
	}
	return summaries;
}

/** The communes that answer a typed query, best first (at most `limit`). */
export async function searchCommunes(
	store: Store,
	input: string,
	now: Date,
	limit = 20
): Promise<CommuneSummary[]> {
	const query = readPlaceQuery(input);
	if (!query) return [];
	const scored = new Map<string, number>();
	const matching = (await listServedStops(store)).filter(({ stop }) => {
		const score = placeScore(query, { name: stop.commune, postalCode: stop.postalCode });
		if (score > 0) scored.set(stop.insee, Math.max(score, scored.get(stop.insee) ?? 0));
		return score > 0;
	});
	const summaries = await summarize(store, matching, now);
	return summaries
		.sort((a, b) => scored.get(b.insee)! - scored.get(a.insee)! || a.name.localeCompare(b.name, 'fr'))
		.slice(0, limit);
}

/** Great-circle distance in kilometres. */
export function distanceKm(
	a: { latitude: number; longitude: number },
	b: { latitude: number; longitude: number }
) {
	const rad = Math.PI / 180;
	const dLat = (b.latitude - a.latitude) * rad;
	const dLon = (b.longitude - a.longitude) * rad;
	const h =
		Math.sin(dLat / 2) ** 2 +
		Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
	return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** The served communes nearest to a position, within `radiusKm`, nearest first. */
export async function communesAround(
	store: Store,
	position: { latitude: number; longitude: number },
	now: Date,
	{ radiusKm = 40, limit = 8 } = {}
): Promise<CommuneSummary[]> {
	const near = (await listServedStops(store))
		.map((entry) => ({ ...entry, km: distanceKm(position, entry.stop) }))
		.filter((entry) => entry.km <= radiusKm);
	const closest = new Map<string, number>();
	for (const { stop, km } of near) closest.set(stop.insee, Math.min(km, closest.get(stop.insee) ?? Infinity));
	const summaries = await summarize(store, near, now);
	return summaries
		.map((summary) => ({ ...summary, distanceKm: Math.round(closest.get(summary.insee)! * 10) / 10 }))
		.sort((a, b) => a.distanceKm - b.distanceKm)
		.slice(0, limit);
}

/** A commune's page: its stops (there may be several, of one bus or more) and their coming days. */
export async function readCommune(
	store: Store,
	insee: string,
	now: Date,
	weeks = PUBLIC_WEEKS
): Promise<CommunePage | null> {
	const entries = (await listServedStops(store)).filter(({ stop }) => stop.insee === insee);
	const first = entries[0]?.stop;
	if (!first) return null;
	const stops = [];
	for (const { stop, bus } of entries) stops.push(await toPublicStop(store, stop, bus, now, weeks));
	return {
		insee,
		name: first.commune,
		postalCode: first.postalCode,
		slug: communeSlug(first.commune, insee),
		stops
	};
}

/** One stop's page. */
export async function readStop(store: Store, stopId: string, now: Date): Promise<PublicStop | null> {
	const stop = await store.stops.get(stopId);
	if (!stop) return null;
	const bus = await store.buses.get(stop.busId);
	return bus ? toPublicStop(store, stop, bus, now) : null;
}
