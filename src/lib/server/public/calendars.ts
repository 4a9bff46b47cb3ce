/**
 * "Ajouter à mon agenda": the iCalendar feed of a stop, or of a commune (every stop of every bus there).
 * A feed holds the days from a month ago to a year ahead, so a subscribed calendar keeps the recent past
 * and sees a cancellation (STATUS:CANCELLED, higher SEQUENCE) at its next refresh.
 */
import { addDays, localDateIn } from '$lib/domain/calendar';
import { communeSlug } from '$lib/domain/commune-slug';
import type { Bus, Stop } from '$lib/domain/schedule';
import type { Store, StoredServiceDay } from '../store/store';
import { listServedStops } from '../schedule/places';
import { serviceDayStatusLabel } from '$lib/i18n/service-day-labels';
import { buildIcs, type IcsEvent } from './ics';
import { sequenceOf, stopPageUrl } from './open-data';

/** Days kept behind today, and ahead of it. */
export const FEED_PAST_DAYS = 31;
export const FEED_FUTURE_DAYS = 366;

export interface CalendarFeed {
	/** The iCalendar text. */
	ics: string;
	/** A safe file name for the download variant (ASCII, no quotes). */
	filename: string;
}

function feedRange(now: Date, timeZone: string) {
	const today = localDateIn(now, timeZone);
	return { from: addDays(today, -FEED_PAST_DAYS), to: addDays(today, FEED_FUTURE_DAYS) };
}

function location(stop: Stop): string {
	return [stop.place, stop.address, `${stop.postalCode} ${stop.commune}`]
		.filter((part): part is string => part !== null && part.trim() !== '')
		.join(', ');
}

function description(day: StoredServiceDay, bus: Bus, stop: Stop, pageUrl: string): string {
	const lines = [bus.name, `Lieu : ${location(stop)}`];
	// The calendars are in French, in the words of the public pages (src/lib/i18n/labels.ts).
	if (day.status === 'cancelled' || day.status === 'moved')
		lines.push(`${serviceDayStatusLabel(day.status, 'fr')}${day.reason ? ` : ${day.reason}` : '.'}`);
	if (stop.accessNotes) lines.push(`Accès : ${stop.accessNotes}`);
	if (bus.phone) lines.push(`Téléphone : ${bus.phone}`);
	if (bus.takesAppointments) lines.push('Prise de rendez-vous possible.');
	lines.push(`Horaires à jour : ${pageUrl}`);
	return lines.join('\n');
}

export function toIcsEvent(day: StoredServiceDay, bus: Bus, stop: Stop, origin: string): IcsEvent {
	const url = stopPageUrl(origin, stop.id);
	const summary = `Bus France services – ${stop.commune}`;
	return {
		uid: `${day.id}@escale`,
		sequence: sequenceOf(day),
		date: day.date,
		start: day.start,
		end: day.end,
		timeZone: bus.timeZone,
		status: day.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
		// Some apps ignore STATUS: the word in the title tells their users too.
		summary:
			day.status === 'cancelled' ? `${serviceDayStatusLabel('cancelled', 'fr')} – ${summary}` : summary,
		location: location(stop),
		description: description(day, bus, stop, url),
		url,
		geo: { latitude: stop.latitude, longitude: stop.longitude }
	};
}

/** The feed of one stop, or null when there is no such stop (or its bus is gone). */
export async function stopCalendar(
	store: Store,
	stopId: string,
	origin: string,
	now: Date
): Promise<CalendarFeed | null> {
	const stop = await store.stops.get(stopId);
	const bus = stop ? await store.buses.get(stop.busId) : null;
	if (!stop || !bus) return null;
	const days = await store.serviceDays.listByStop(stop.id, feedRange(now, bus.timeZone));
	const ics = buildIcs({
		name: `Bus France services – ${stop.commune} (${stop.place})`,
		description: `Passages de ${bus.name} à ${stop.commune}, ${stop.place}. Source : Escale, Licence Ouverte 2.0.`,
		events: days.map((day) => toIcsEvent(day, bus, stop, origin)),
		now
	});
	return { ics, filename: `escale-arret-${stop.id.replace(/[^A-Za-z0-9-]/g, '_')}.ics` };
}

/** Every stop whose commune has this INSEE code, with its bus. */
export async function stopsOfCommune(store: Store, insee: string): Promise<Array<{ stop: Stop; bus: Bus }>> {
	return (await listServedStops(store)).filter(({ stop }) => stop.insee === insee);
}

/** The feed of a commune (all its stops, all buses), or null when no stop is in that commune. */
export async function communeCalendar(
	store: Store,
	insee: string,
	origin: string,
	now: Date
): Promise<CalendarFeed | null> {
	const stops = await stopsOfCommune(store, insee);
	const first = stops[0];
	if (!first) return null;
	const events: Array<IcsEvent & { order: string }> = [];
	for (const { stop, bus } of stops) {
		for (const day of await store.serviceDays.listByStop(stop.id, feedRange(now, bus.timeZone))) {
			events.push({ ...toIcsEvent(day, bus, stop, origin), order: `${day.date} ${day.start} ${day.id}` });
		}
	}
	events.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
	const commune = first.stop.commune;
	const ics = buildIcs({
		name: `Bus France services – ${commune}`,
		description: `Passages des bus France services à ${commune}. Source : Escale, Licence Ouverte 2.0.`,
		events: events.map(({ order: _order, ...event }) => event),
		now
	});
	return { ics, filename: `escale-${communeSlug(commune, insee)}.ics` };
}
