/**
 * Dates and times in words, for people: "mardi 8 décembre", "9 h 30". Service dates and times are local to
 * the bus (plain strings in the model), so they are formatted as UTC wall-clock values: no zone can shift them.
 */
import type { LocalDate, LocalTime } from '$lib/domain/calendar';
import { timeZoneOf, type Territory } from '$lib/domain/territory';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';

const LONG_DATE: Record<Locale, Intl.DateTimeFormat> = {
	fr: new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }),
	en: new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' })
};

function utcDate(date: LocalDate): Date {
	const [year, month, day] = date.split('-').map(Number);
	return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1));
}

/** "mardi 8 décembre" / "Tuesday 8 December". */
export function formatDateLong(date: LocalDate, locale: Locale): string {
	return LONG_DATE[locale].format(utcDate(date));
}

/** "9 h 30" and "14 h" in French (the way it is written on French posters), "9:30" in English. */
export function formatTime(time: LocalTime, locale: Locale): string {
	const [hours, minutes] = time.split(':');
	const h = String(Number(hours));
	if (locale === 'fr') return minutes === '00' ? `${h} h` : `${h} h ${minutes}`;
	return `${h}:${minutes}`;
}

const SHORT_INSTANT: Record<Locale, Intl.DateTimeFormat> = {
	fr: new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short' }),
	en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'short', timeStyle: 'short' })
};

/** An instant on the device's clock and zone ("27/11/2026 14:05"): for the crew's own sync times. */
export function formatInstant(instant: Date, locale: Locale): string {
	return SHORT_INSTANT[locale].format(instant);
}

/** The zone of the coordination office and of the mainland buses: its times need no name. */
export const MAINLAND_ZONE = 'Europe/Paris';

type ZoneMessage = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;
// Keyed by territory so that a new overseas territory without its name does not compile.
const OVERSEAS_ZONE_NAMES: Record<Exclude<Territory, 'metropole' | 'alsace-moselle'>, ZoneMessage> = {
	guadeloupe: m.time_zone_guadeloupe,
	martinique: m.time_zone_martinique,
	guyane: m.time_zone_guyane,
	reunion: m.time_zone_reunion,
	mayotte: m.time_zone_mayotte
};
const ZONE_NAMES = new Map(
	Object.entries(OVERSEAS_ZONE_NAMES).map(([territory, name]) => [timeZoneOf(territory as Territory), name])
);

/** "UTC−4", "UTC+5:30": the offset of `timeZone` at `instant`, for a zone Escale has no name for. */
function utcOffset(instant: Date, timeZone: string): string {
	const parts = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'longOffset' }).formatToParts(
		instant
	);
	const offset = parts.find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
	const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(offset);
	// "GMT" or "GMT+00:00" depending on the ICU version.
	if (!match || offset.endsWith('00:00')) return 'UTC';
	const [, sign, hours, minutes] = match;
	return `UTC${sign === '-' ? '\u2212' : '+'}${Number(hours)}${minutes === '00' ? '' : `:${minutes}`}`;
}

/**
 * The name of a bus's zone when it is not the mainland's ("heure de la Guadeloupe" / "Guadeloupe time"), else
 * null: a coordinator in Paris reads an unnamed time as Paris time, so every other zone's time says whose it is.
 */
export function timeZoneName(timeZone: string, instant: Date, locale: Locale): string | null {
	if (timeZone === MAINLAND_ZONE) return null;
	return ZONE_NAMES.get(timeZone)?.({}, { locale }) ?? utcOffset(instant, timeZone);
}

const SHORT_INSTANT_IN = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant as the clocks of `timeZone` show it, the zone named when it is not the mainland's:
 * "27/11/2026 13:55 (heure de la Guadeloupe)". Never the process's zone: the server runs in UTC, and the page
 * it renders must read the same once the coordinator's browser takes over.
 */
export function formatInstantIn(instant: Date, timeZone: string, locale: Locale): string {
	const key = `${locale} ${timeZone}`;
	let format = SHORT_INSTANT_IN.get(key);
	if (!format) {
		format = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
			dateStyle: 'short',
			timeStyle: 'short',
			timeZone
		});
		SHORT_INSTANT_IN.set(key, format);
	}
	return withZoneName(format.format(instant), timeZone, instant, locale);
}

/** `text` (a time of `timeZone`'s clocks) followed by the zone's name in brackets when it is not the mainland's. */
export function withZoneName(text: string, timeZone: string, instant: Date, locale: Locale): string {
	const name = timeZoneName(timeZone, instant, locale);
	return name ? `${text} (${name})` : text;
}

/** A waiting time in the largest whole unit: minutes under 2 hours, hours under 2 days, then days. */
export function splitDuration(ms: number): { unit: 'minutes' | 'hours' | 'days'; count: number } {
	const minutes = Math.floor(ms / 60_000);
	if (minutes < 120) return { unit: 'minutes', count: minutes };
	const hours = Math.floor(minutes / 60);
	if (hours < 48) return { unit: 'hours', count: hours };
	return { unit: 'days', count: Math.floor(hours / 24) };
}

/** The time of day of an instant in a zone, written like a service time: "14 h 05" / "14:05". */
export function formatClock(instant: Date, timeZone: string, locale: Locale): string {
	const parts = new Intl.DateTimeFormat('en-GB', {
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23',
		timeZone
	}).formatToParts(instant);
	const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? '00';
	return formatTime(`${part('hour')}:${part('minute')}`, locale);
}
