/**
 * Calendar values of the model. A service day happens on a *local* date at *local* times of its bus's
 * territory: "mardi 8 décembre, 09:00-12:00" means Paris time for a bus in the Indre and Cayenne time for
 * a bus in Guyane. We keep them as plain strings (no Date) so they never shift with the device's zone;
 * they become instants only through `toInstant`, with the bus's IANA time zone.
 *
 * Date arithmetic below works on "epoch days" computed with `Date.UTC`, which is pure arithmetic: no
 * zone, no daylight saving, the same answer on every device.
 */
import { TZDate } from '@date-fns/tz';

/** A calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;
/** A wall-clock time, `HH:MM` (24 h). */
export type LocalTime = string;
/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface TimeWindow {
	start: LocalTime;
	end: LocalTime;
}

/** An ISO 8601 week: the ISO year can differ from the calendar year around New Year. */
export interface IsoWeek {
	year: number;
	week: number;
}

const DAY_MS = 86_400_000;
// Years 1000-9999 only: Date.UTC maps years 0-99 to 1900-1999, and four digits is what `YYYY` means.
const LOCAL_DATE = /^([1-9]\d{3})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isLeapYear(year: number): boolean {
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month, `month` 1-12. */
export function daysInMonth(year: number, month: number): number {
	if (month === 2) return isLeapYear(year) ? 29 : 28;
	return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Splits a date into numbers, or null when it is not a real `YYYY-MM-DD` date (2027-02-29 is not). */
export function parseLocalDate(value: string): { year: number; month: number; day: number } | null {
	const match = LOCAL_DATE.exec(value);
	if (!match) return null;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
	return { year, month, day };
}

export function isLocalDate(value: unknown): value is LocalDate {
	return typeof value === 'string' && parseLocalDate(value) !== null;
}

export function isLocalTime(value: unknown): value is LocalTime {
	return typeof value === 'string' && LOCAL_TIME.test(value);
}

function mustParse(date: LocalDate): { year: number; month: number; day: number } {
	const parts = parseLocalDate(date);
	if (!parts) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
	return parts;
}

function pad(value: number, width = 2): string {
	return String(value).padStart(width, '0');
}

export function formatLocalDate(year: number, month: number, day: number): LocalDate {
	return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Days since 1970-01-01; the basis of all date arithmetic here. */
export function toEpochDay(date: LocalDate): number {
	const { year, month, day } = mustParse(date);
	return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function fromEpochDay(epochDay: number): LocalDate {
	const d = new Date(epochDay * DAY_MS);
	return formatLocalDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function addDays(date: LocalDate, days: number): LocalDate {
	return fromEpochDay(toEpochDay(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
	return toEpochDay(to) - toEpochDay(from);
}

/** Negative, zero or positive, for `Array.prototype.sort`. Valid dates compare as strings too. */
export function compareDates(a: LocalDate, b: LocalDate): number {
	return toEpochDay(a) - toEpochDay(b);
}

/** `HH:MM` strings compare correctly as strings; this names the intent. */
export function compareTimes(a: LocalTime, b: LocalTime): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

export function isoWeekday(date: LocalDate): Weekday {
	// 1970-01-01 was a Thursday (ISO 4).
	return (((((toEpochDay(date) + 3) % 7) + 7) % 7) + 1) as Weekday;
}

/** The Monday of the ISO week holding `date`. */
export function mondayOf(date: LocalDate): LocalDate {
	return addDays(date, 1 - isoWeekday(date));
}

/**
 * ISO 8601 week: weeks start on Monday and week 1 holds the year's first Thursday. The Thursday of a
 * week decides its year, so 2027-01-01 (a Friday) belongs to week 53 of ISO year 2026.
 */
export function isoWeek(date: LocalDate): IsoWeek {
	const thursday = addDays(date, 4 - isoWeekday(date));
	const year = mustParse(thursday).year;
	const dayOfYear = daysBetween(formatLocalDate(year, 1, 1), thursday);
	return { year, week: Math.floor(dayOfYear / 7) + 1 };
}

/** 52 or 53: a year has 53 ISO weeks when 28 December (always in its last week) is in week 53. */
export function isoWeeksInYear(year: number): number {
	return isoWeek(formatLocalDate(year, 12, 28)).week;
}

/** Every date from `from` to `to`, both included; empty when `to` is before `from`. */
export function eachDate(from: LocalDate, to: LocalDate): LocalDate[] {
	const first = toEpochDay(from);
	const last = toEpochDay(to);
	const dates: LocalDate[] = [];
	for (let day = first; day <= last; day++) dates.push(fromEpochDay(day));
	return dates;
}

/**
 * The instant at which the clocks of `timeZone` show `time` on `date`. Across daylight saving changes:
 * a time that does not exist (02:30 on the spring change in Paris) moves forward by the gap (03:30), and
 * a time that happens twice (02:30 on the autumn change) is taken at its second occurrence. Service
 * windows are in daytime, far from both.
 */
export function toInstant(date: LocalDate, time: LocalTime, timeZone: string): Date {
	const { year, month, day } = mustParse(date);
	const match = LOCAL_TIME.exec(time);
	if (!match) throw new RangeError(`Not a HH:MM time: ${JSON.stringify(time)}`);
	const zoned = new TZDate(year, month - 1, day, Number(match[1]), Number(match[2]), timeZone);
	const epochMs = zoned.getTime();
	if (Number.isNaN(epochMs)) throw new RangeError(`Unknown time zone: ${JSON.stringify(timeZone)}`);
	return new Date(epochMs);
}

/**
 * The whole local day in `timeZone`, from its midnight to the next midnight (end excluded): 23 hours on
 * the spring change, 25 on the autumn one.
 */
export function serviceDayInterval(day: LocalDate, timeZone: string): { start: Date; end: Date } {
	return { start: toInstant(day, '00:00', timeZone), end: toInstant(addDays(day, 1), '00:00', timeZone) };
}

/** The date the clocks of `timeZone` show at `instant`: "today" for a bus is its own zone's today. */
export function localDateIn(instant: Date, timeZone: string): LocalDate {
	const zoned = new TZDate(instant.getTime(), timeZone);
	if (Number.isNaN(zoned.getTime())) throw new RangeError(`Unknown time zone: ${JSON.stringify(timeZone)}`);
	return formatLocalDate(zoned.getFullYear(), zoned.getMonth() + 1, zoned.getDate());
}
