/**
 * Dates and times in words, for people: "mardi 8 décembre", "9 h 30". Service dates and times are local to
 * the bus (plain strings in the model), so they are formatted as UTC wall-clock values: no zone can shift them.
 */
import type { LocalDate, LocalTime } from '$lib/domain/calendar';
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
