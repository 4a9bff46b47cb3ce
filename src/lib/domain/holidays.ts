/**
 * Public holidays (jours fériés) per territory. A circuit's recurring rules skip them.
 *
 * Sources:
 * - national list: Code du travail, article L3133-1 (eleven days). Whit Monday stays a public holiday even
 *   where it is worked as the "journée de solidarité" (L3133-7): buses are told to skip it, a coordinator
 *   can still add the day by hand;
 * - Alsace-Moselle (Bas-Rhin 67, Haut-Rhin 68, Moselle 57): Good Friday and 26 December, local law
 *   (Code du travail, L3134-13);
 * - overseas departments: the commemoration of the abolition of slavery, loi n° 83-550 du 30 juin 1983 and
 *   décret n° 83-1003 du 23 novembre 1983 as amended, which sets each date: Mayotte 27 April, Martinique
 *   22 May, Guadeloupe 27 May, Guyane 10 June, La Réunion 20 December.
 */
import { addDays, formatLocalDate, parseLocalDate, type LocalDate } from './calendar';
import type { Territory } from './territory';

/**
 * Easter Sunday of the Gregorian calendar (the anonymous "Meeus/Jones/Butcher" algorithm), valid for every
 * year from 1583.
 */
export function easterSunday(year: number): LocalDate {
	const a = year % 19;
	const b = Math.floor(year / 100);
	const c = year % 100;
	const d = Math.floor(b / 4);
	const e = b % 4;
	const f = Math.floor((b + 8) / 25);
	const g = Math.floor((b - f + 1) / 3);
	const h = (19 * a + b - d - g + 15) % 30;
	const i = Math.floor(c / 4);
	const k = c % 4;
	const l = (32 + 2 * e + 2 * i - h - k) % 7;
	const m = Math.floor((a + 11 * h + 22 * l) / 451);
	const month = Math.floor((h + l - 7 * m + 114) / 31);
	const day = ((h + l - 7 * m + 114) % 31) + 1;
	return formatLocalDate(year, month, day);
}

const ABOLITION_OF_SLAVERY: Partial<Record<Territory, [month: number, day: number]>> = {
	mayotte: [4, 27],
	martinique: [5, 22],
	guadeloupe: [5, 27],
	guyane: [6, 10],
	reunion: [12, 20]
};

function listHolidays(territory: Territory, year: number): Array<[LocalDate, string]> {
	const easter = easterSunday(year);
	const on = (month: number, day: number) => formatLocalDate(year, month, day);
	const days: Array<[LocalDate, string]> = [
		[on(1, 1), "Jour de l'an"],
		[addDays(easter, 1), 'Lundi de Pâques'],
		[on(5, 1), 'Fête du Travail'],
		[on(5, 8), 'Victoire du 8 mai 1945'],
		[addDays(easter, 39), 'Ascension'],
		[addDays(easter, 50), 'Lundi de Pentecôte'],
		[on(7, 14), 'Fête nationale'],
		[on(8, 15), 'Assomption'],
		[on(11, 1), 'Toussaint'],
		[on(11, 11), 'Armistice du 11 novembre 1918'],
		[on(12, 25), 'Noël']
	];
	if (territory === 'alsace-moselle') {
		days.push([addDays(easter, -2), 'Vendredi saint'], [on(12, 26), 'Saint-Étienne']);
	}
	const abolition = ABOLITION_OF_SLAVERY[territory];
	if (abolition) days.push([on(...abolition), "Abolition de l'esclavage"]);
	return days;
}

const cache = new Map<string, ReadonlyMap<LocalDate, string>>();

function cachedHolidays(territory: Territory, year: number): ReadonlyMap<LocalDate, string> {
	const key = `${territory}:${year}`;
	let holidays = cache.get(key);
	if (!holidays) {
		const byDate = new Map<LocalDate, string>();
		const sorted = listHolidays(territory, year).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		for (const [date, name] of sorted) {
			const already = byDate.get(date);
			byDate.set(date, already ? `${already} et ${name}` : name);
		}
		holidays = byDate;
		cache.set(key, holidays);
	}
	return holidays;
}

/**
 * The public holidays of `territory` in `year`, by date, with their French names, in date order. When two
 * fall on the same day (Ascension on 1 May in 2008) the names are joined. A fresh copy each call: callers
 * may edit it without changing the next caller's answer.
 */
export function publicHolidays(territory: Territory, year: number): Map<LocalDate, string> {
	return new Map(cachedHolidays(territory, year));
}

/** The holiday's French name, or null on an ordinary day. */
export function holidayName(territory: Territory, date: LocalDate): string | null {
	const parts = parseLocalDate(date);
	if (!parts) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
	return cachedHolidays(territory, parts.year).get(date) ?? null;
}

export function isPublicHoliday(territory: Territory, date: LocalDate): boolean {
	return holidayName(territory, date) !== null;
}
