/**
 * Circuit rules -> service days. A rule is a recurrence at one stop in one time window, valid between two
 * dates, minus its exception dates; recurring rules also skip the public holidays of the bus's territory.
 *
 * Ids are deterministic (`<ruleId>@<date>`): regenerating finds the same days, so a coordinator's edit of a
 * single day (cancelled, moved) can be kept by the caller.
 */
import {
	compareDates,
	compareTimes,
	daysBetween,
	daysInMonth,
	eachDate,
	isoWeek,
	isoWeekday,
	mondayOf,
	parseLocalDate,
	type LocalDate
} from './calendar';
import { isPublicHoliday } from './holidays';
import type { Bus, Circuit, CircuitRule, Recurrence, ServiceDay } from './schedule';

export { CircuitSchema, validateCircuit } from './circuit-schema';

export interface DateRange {
	from: LocalDate;
	/** Inclusive. */
	to: LocalDate;
}

type RecurringRule = Exclude<Recurrence, { kind: 'dates' }>;

function positiveModulo(value: number, divisor: number): number {
	return ((value % divisor) + divisor) % divisor;
}

/** Whether a recurring rule falls on `date` (validity, exceptions and holidays aside). */
export function recursOn(recurrence: RecurringRule, date: LocalDate): boolean {
	const weekday = isoWeekday(date);
	switch (recurrence.kind) {
		case 'weekly':
			return recurrence.weekdays.includes(weekday);
		case 'isoWeekParity': {
			const isEven = isoWeek(date).week % 2 === 0;
			return recurrence.weekdays.includes(weekday) && isEven === (recurrence.parity === 'even');
		}
		case 'nthWeekdayOfMonth': {
			if (weekday !== recurrence.weekday) return false;
			const parts = parseLocalDate(date);
			if (!parts) return false;
			const { year, month, day } = parts;
			const nth = Math.ceil(day / 7) as 1 | 2 | 3 | 4 | 5;
			const isLast = day + 7 > daysInMonth(year, month);
			return recurrence.nths.includes(nth) || (isLast && recurrence.nths.includes(-1));
		}
		case 'everyNWeeks': {
			// Count weeks by days between Mondays, not by ISO week numbers: numbers restart at 1 after week
			// 52 or 53, days do not. Weeks before the anchor keep the same cadence.
			const weeks = daysBetween(mondayOf(recurrence.anchor), mondayOf(date)) / 7;
			return recurrence.weekdays.includes(weekday) && positiveModulo(weeks, recurrence.interval) === 0;
		}
	}
}

/** Code-point order: the same on every device, unlike `localeCompare`. */
function compareCodes(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

function later(a: LocalDate, b: LocalDate): LocalDate {
	return compareDates(a, b) >= 0 ? a : b;
}

function earlier(a: LocalDate, b: LocalDate): LocalDate {
	return compareDates(a, b) <= 0 ? a : b;
}

/**
 * The dates a rule produces within `range`. Recurring rules skip the territory's public holidays; an
 * explicit date list does not: a coordinator who lists a date chose it, holiday or not (a bus may come on
 * 14 July for the village fair). Exception dates remove dates in both cases.
 */
export function ruleDates(rule: CircuitRule, territory: Bus['territory'], range: DateRange): LocalDate[] {
	const from = later(range.from, rule.validFrom);
	const to = rule.validUntil === null ? range.to : earlier(range.to, rule.validUntil);
	if (compareDates(from, to) > 0) return [];
	const isWithin = (date: LocalDate) => compareDates(date, from) >= 0 && compareDates(date, to) <= 0;
	const except = new Set(rule.exceptDates);
	const { recurrence } = rule;
	const candidates =
		recurrence.kind === 'dates'
			? [...new Set(recurrence.dates)].filter(isWithin).sort(compareDates)
			: eachDate(from, to).filter((date) => recursOn(recurrence, date) && !isPublicHoliday(territory, date));
	return candidates.filter((date) => !except.has(date));
}

/**
 * The planned service days of a circuit for one bus within `range` (both ends included), sorted by date,
 * then start time. Expects a circuit that `validateCircuit` accepts; throws on malformed dates.
 */
export function generateServiceDays(
	circuit: Circuit,
	bus: Pick<Bus, 'id' | 'territory'>,
	range: DateRange
): ServiceDay[] {
	if (circuit.busId !== bus.id) {
		throw new RangeError(`Circuit ${circuit.id} belongs to bus ${circuit.busId}, not ${bus.id}`);
	}
	const days: ServiceDay[] = [];
	for (const rule of circuit.rules) {
		for (const date of ruleDates(rule, bus.territory, range)) {
			days.push({
				id: `${rule.id}@${date}`,
				busId: bus.id,
				stopId: rule.stopId,
				ruleId: rule.id,
				date,
				start: rule.window.start,
				end: rule.window.end,
				status: 'planned',
				reason: null
			});
		}
	}
	// Ties broken by stop then id so that the order never depends on the order of the rules.
	return days.sort(
		(a, b) =>
			compareDates(a.date, b.date) ||
			compareTimes(a.start, b.start) ||
			compareCodes(a.stopId, b.stopId) ||
			compareCodes(a.id, b.id)
	);
}
