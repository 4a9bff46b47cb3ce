/**
 * A stop's hours as an OpenStreetMap `opening_hours` string, derived from its circuit rules, so maps and
 * open-data users can read them with the usual tools (https://wiki.openstreetmap.org/wiki/Key:opening_hours).
 *
 * The string has three parts, each overriding the one before on the days it names:
 * 1. the regular pattern, one selector per kind of rule: `Tu 09:00-12:00` (weekly), `week 01-53/2 Tu ...`
 *    (odd ISO weeks; OSM weeks are ISO 8601 weeks, like the domain's), `Mo[1,3] ...` (nth weekday), joined
 *    with `, ` so two rules on the same day add up instead of replacing each other;
 * 2. `PH off`: recurring rules skip the territory's public holidays;
 * 3. one entry per date of the horizon where the published schedule differs from the pattern: an
 *    exception date or a cancelled day (`2026 Dec 08 off`, or the hours left that day), an explicit date
 *    (`2026 Dec 08 09:00-12:00`), a day moved to other hours.
 *
 * What cannot be expressed: "every N weeks" (N > 1) counts weeks across years, OSM week numbers restart each
 * January, so such a rule's dates are listed within the horizon only; explicit dates, exceptions and
 * cancellations also exist only within the horizon. Those limits come back as `notes`.
 */
import {
	compareDates,
	compareTimes,
	eachDate,
	parseLocalDate,
	type LocalDate,
	type Weekday
} from '$lib/domain/calendar';
import { recursOn, ruleDates, type DateRange } from '$lib/domain/circuit';
import type { CircuitRule, Recurrence, ServiceDay } from '$lib/domain/schedule';
import type { Territory } from '$lib/domain/territory';

export interface OpeningHours {
	/** The `opening_hours` value; null when the stop has no rule and no day in the horizon. */
	value: string | null;
	/** What the value cannot say, in French, for the data's readers. */
	notes: string[];
}

const WEEKDAYS: Record<Weekday, string> = { 1: 'Mo', 2: 'Tu', 3: 'We', 4: 'Th', 5: 'Fr', 6: 'Sa', 7: 'Su' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

type PatternRecurrence = Exclude<Recurrence, { kind: 'dates' }>;

/** `2026-12-08` -> `2026 Dec 08`. */
export function osmDate(date: LocalDate): string {
	const parts = parseLocalDate(date);
	if (!parts) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
	return `${parts.year} ${MONTHS[parts.month - 1] ?? ''} ${String(parts.day).padStart(2, '0')}`;
}

function weekdayList(weekdays: readonly Weekday[]): string {
	return [...new Set(weekdays)]
		.sort((a, b) => a - b)
		.map((day) => WEEKDAYS[day])
		.join(',');
}

/** The OSM selector of a recurrence that has one, else null (every N weeks with N > 1). */
export function recurrenceSelector(recurrence: Recurrence): string | null {
	switch (recurrence.kind) {
		case 'weekly':
			return weekdayList(recurrence.weekdays);
		case 'isoWeekParity':
			return `${recurrence.parity === 'even' ? 'week 02-52/2' : 'week 01-53/2'} ${weekdayList(recurrence.weekdays)}`;
		case 'nthWeekdayOfMonth': {
			const nths = [...new Set(recurrence.nths)].sort((a, b) => (a < 0 ? 1 : b < 0 ? -1 : a - b));
			return `${WEEKDAYS[recurrence.weekday]}[${nths.join(',')}]`;
		}
		case 'everyNWeeks':
			return recurrence.interval === 1 ? weekdayList(recurrence.weekdays) : null;
		case 'dates':
			return null;
	}
}

interface PatternRule {
	rule: CircuitRule;
	recurrence: PatternRecurrence;
	selector: string;
}

function patternRules(rules: readonly CircuitRule[], horizon: DateRange): PatternRule[] {
	const pattern: PatternRule[] = [];
	for (const rule of rules) {
		const { recurrence } = rule;
		if (recurrence.kind === 'dates') continue;
		// Rules over before the horizon, or starting after it, are not part of what is published now.
		if (rule.validUntil !== null && compareDates(rule.validUntil, horizon.from) < 0) continue;
		if (compareDates(rule.validFrom, horizon.to) > 0) continue;
		const selector = recurrenceSelector(recurrence);
		if (selector === null) continue;
		// A rule that ends is bounded by its dates; one that only starts later is fixed by the date entries.
		const range = rule.validUntil === null ? '' : `${osmDate(rule.validFrom)}-${osmDate(rule.validUntil)} `;
		pattern.push({ rule, recurrence, selector: range + selector });
	}
	return pattern;
}

/** The time spans the pattern (part 1, holidays aside) gives on `date`. */
function patternWindows(pattern: readonly PatternRule[], date: LocalDate): string[] {
	const windows = pattern
		.filter(({ rule, recurrence }) => {
			if (rule.validUntil !== null) {
				if (compareDates(date, rule.validFrom) < 0 || compareDates(date, rule.validUntil) > 0) return false;
			}
			return recursOn(recurrence, date);
		})
		.map(({ rule }) => `${rule.window.start}-${rule.window.end}`);
	return sortedUnique(windows);
}

function sortedUnique(windows: readonly string[]): string[] {
	return [...new Set(windows)].sort(compareTimes);
}

/**
 * The stop's `opening_hours`. `rules` are its bus's circuit rules (other stops' rules are ignored), `days`
 * the bus's stored service days (a coordinator's cancellation, new hours or new stop win over what the
 * rules generate; a day added by hand counts too; days outside `horizon` are ignored).
 */
export function openingHoursOf(
	stopId: string,
	rules: readonly CircuitRule[],
	territory: Territory,
	horizon: DateRange,
	days: readonly ServiceDay[] = []
): OpeningHours {
	const ownRules = rules.filter((rule) => rule.stopId === stopId);
	const pattern = patternRules(ownRules, horizon);
	const notes: string[] = [];

	// Part 1: one entry per selector, its windows merged ("Tu 09:00-12:00,13:00-16:30").
	const bySelector = new Map<string, string[]>();
	for (const { rule, selector } of pattern) {
		const windows = bySelector.get(selector) ?? [];
		windows.push(`${rule.window.start}-${rule.window.end}`);
		bySelector.set(selector, windows);
	}
	const base = [...bySelector].map(([selector, windows]) => `${selector} ${sortedUnique(windows).join(',')}`);

	// What is really published on each date of the horizon: generated days, then the stored ones over them.
	const published = new Map<
		string,
		ServiceDay | { date: LocalDate; start: string; end: string; status: 'planned' }
	>();
	for (const rule of ownRules) {
		for (const date of ruleDates(rule, territory, horizon)) {
			published.set(`${rule.id}@${date}`, {
				date,
				start: rule.window.start,
				end: rule.window.end,
				status: 'planned'
			});
		}
	}
	for (const day of days) {
		if (compareDates(day.date, horizon.from) < 0 || compareDates(day.date, horizon.to) > 0) continue;
		// A day a coordinator moved to another stop no longer counts here, even if one of our rules made it.
		if (day.stopId === stopId) published.set(day.id, day);
		else published.delete(day.id);
	}
	const actual = new Map<LocalDate, string[]>();
	for (const day of published.values()) {
		if (day.status === 'cancelled') continue;
		const windows = actual.get(day.date) ?? [];
		windows.push(`${day.start}-${day.end}`);
		actual.set(day.date, windows);
	}

	const entries: string[] = [];
	for (const date of eachDate(horizon.from, horizon.to)) {
		const expected = patternWindows(pattern, date);
		const real = sortedUnique(actual.get(date) ?? []);
		if (expected.join(',') === real.join(',')) continue;
		entries.push(`${osmDate(date)} ${real.length === 0 ? 'off' : real.join(',')}`);
	}

	if (ownRules.some(({ recurrence }) => recurrence.kind === 'everyNWeeks' && recurrence.interval > 1)) {
		notes.push(
			`« Toutes les N semaines » ne s’exprime pas en opening_hours (les numéros de semaine repartent à 1 chaque année) : ses dates sont listées jusqu’au ${horizon.to} seulement.`
		);
	}
	if (ownRules.some(({ recurrence }) => recurrence.kind === 'dates')) {
		notes.push(`Dates ponctuelles listées jusqu’au ${horizon.to} seulement.`);
	}
	if (base.length > 0) {
		notes.push(
			`Exceptions, jours fériés et annulations détaillés jusqu’au ${horizon.to} ; au-delà, seul le rythme régulier et « PH off » s’appliquent.`
		);
	}
	if (ownRules.some((rule) => compareDates(rule.validFrom, horizon.to) > 0 && rule.validUntil === null)) {
		notes.push('Une règle qui commence après l’horizon n’est pas décrite.');
	}

	const parts = [...(base.length > 0 ? [base.join(', '), 'PH off'] : []), ...entries];
	return { value: parts.length === 0 ? null : parts.join('; '), notes };
}
