// Long on purpose: one block per recurrence kind and per calendar trap (week 53, leap day, holidays, overseas).
import { describe, expect, it } from 'vitest';
import { toInstant, type LocalDate } from './calendar';
import { makeCircuitRule } from '$factories/schedule';
import { generateServiceDays } from './circuit';
import type { Bus, Circuit, CircuitRule, Recurrence } from './schedule';
import { timeZoneOf } from './territory';

const indre: Pick<Bus, 'id' | 'territory'> = { id: 'fs-36', territory: 'metropole' };
const guyane: Pick<Bus, 'id' | 'territory'> = { id: 'fs-973', territory: 'guyane' };
const reunion: Pick<Bus, 'id' | 'territory'> = { id: 'fs-974', territory: 'reunion' };

function rule(id: string, recurrence: Recurrence, overrides: Partial<CircuitRule> = {}): CircuitRule {
	return makeCircuitRule({ id, recurrence, ...overrides });
}

function circuitOf(bus: Pick<Bus, 'id'>, ...rules: CircuitRule[]): Circuit {
	return { id: 'circuit-1', busId: bus.id, name: 'Circuit de test', rules };
}

function datesOf(
	bus: Pick<Bus, 'id' | 'territory'>,
	from: LocalDate,
	to: LocalDate,
	...rules: CircuitRule[]
): LocalDate[] {
	return generateServiceDays(circuitOf(bus, ...rules), bus, { from, to }).map((day) => day.date);
}

describe('weekly rules', () => {
	it('produces every listed weekday in the range', () => {
		const dates = datesOf(indre, '2026-03-02', '2026-03-15', rule('r', { kind: 'weekly', weekdays: [2, 4] }));
		expect(dates).toEqual(['2026-03-03', '2026-03-05', '2026-03-10', '2026-03-12']);
	});

	it('makes planned service days with deterministic ids, the window and no reason', () => {
		const [day] = generateServiceDays(
			circuitOf(indre, rule('indre-tue', { kind: 'weekly', weekdays: [2] })),
			indre,
			{ from: '2026-03-10', to: '2026-03-10' }
		);
		expect(day).toEqual({
			id: 'indre-tue@2026-03-10',
			busId: 'fs-36',
			stopId: 'stop-mairie',
			ruleId: 'indre-tue',
			date: '2026-03-10',
			start: '09:00',
			end: '12:00',
			status: 'planned',
			reason: null
		});
	});

	it('generates the same days twice in a row', () => {
		const circuit = circuitOf(indre, rule('r', { kind: 'weekly', weekdays: [1, 3, 5] }));
		const range = { from: '2026-01-01', to: '2026-12-31' };
		expect(generateServiceDays(circuit, indre, range)).toEqual(generateServiceDays(circuit, indre, range));
	});

	it('sorts by date then start time, whatever the order of the rules', () => {
		const afternoon = rule(
			'pm',
			{ kind: 'weekly', weekdays: [2] },
			{ stopId: 'stop-b', window: { start: '14:00', end: '16:30' } }
		);
		const morning = rule('am', { kind: 'weekly', weekdays: [2, 3] }, { stopId: 'stop-a' });
		const days = generateServiceDays(circuitOf(indre, afternoon, morning), indre, {
			from: '2026-03-10',
			to: '2026-03-11'
		});
		expect(days.map((d) => d.id)).toEqual(['am@2026-03-10', 'pm@2026-03-10', 'am@2026-03-11']);
	});

	it('refuses to generate a circuit for another bus', () => {
		expect(() =>
			generateServiceDays(circuitOf(guyane), indre, { from: '2026-03-01', to: '2026-03-31' })
		).toThrow(RangeError);
	});
});

describe('ISO week parity and every N weeks across week 53 of 2026', () => {
	const even = rule('even', { kind: 'isoWeekParity', parity: 'even', weekdays: [2] });
	const odd = rule('odd', { kind: 'isoWeekParity', parity: 'odd', weekdays: [2] });
	const everyTwo = rule('two', { kind: 'everyNWeeks', interval: 2, anchor: '2026-12-08', weekdays: [2] });

	it('agree in December 2026 (weeks 50 and 52)', () => {
		expect(datesOf(indre, '2026-12-01', '2026-12-27', even)).toEqual(['2026-12-08', '2026-12-22']);
		expect(datesOf(indre, '2026-12-01', '2026-12-27', everyTwo)).toEqual(['2026-12-08', '2026-12-22']);
	});

	it('diverge in January 2027: even weeks jump from week 52 to week 2, every 2 weeks lands on week 1', () => {
		expect(datesOf(indre, '2026-12-28', '2027-01-31', even)).toEqual(['2027-01-12', '2027-01-26']);
		expect(datesOf(indre, '2026-12-28', '2027-01-31', everyTwo)).toEqual(['2027-01-05', '2027-01-19']);
	});

	it('gives odd-week rules two weeks in a row: week 53 and week 1', () => {
		expect(datesOf(indre, '2026-12-21', '2027-01-10', odd)).toEqual(['2026-12-29', '2027-01-05']);
	});

	it('keeps a 4-week rotation on the same cadence across the year boundary', () => {
		const rotation = rule('rot', { kind: 'everyNWeeks', interval: 4, anchor: '2026-11-30', weekdays: [1] });
		expect(datesOf(indre, '2026-11-09', '2027-02-28', rotation)).toEqual([
			'2026-11-30',
			'2026-12-28',
			'2027-01-25',
			'2027-02-22'
		]);
	});

	it('counts every N weeks backwards from the anchor too, within the validity', () => {
		const rotation = rule('rot', { kind: 'everyNWeeks', interval: 3, anchor: '2026-03-25', weekdays: [3] });
		expect(datesOf(indre, '2026-03-01', '2026-04-30', rotation)).toEqual([
			'2026-03-04',
			'2026-03-25',
			'2026-04-15'
		]);
	});

	it('uses the anchor week, not the anchor weekday, as week zero', () => {
		const rotation = rule('rot', {
			kind: 'everyNWeeks',
			interval: 2,
			anchor: '2026-03-06',
			weekdays: [1, 5]
		});
		expect(datesOf(indre, '2026-03-02', '2026-03-22', rotation)).toEqual([
			'2026-03-02',
			'2026-03-06',
			'2026-03-16',
			'2026-03-20'
		]);
	});
});

describe('nth weekday of the month', () => {
	it('produces the 1st and 3rd Tuesday of each month', () => {
		const r = rule('r', { kind: 'nthWeekdayOfMonth', weekday: 2, nths: [1, 3] });
		expect(datesOf(indre, '2027-01-01', '2027-02-28', r)).toEqual([
			'2027-01-05',
			'2027-01-19',
			'2027-02-02',
			'2027-02-16'
		]);
	});

	it('takes -1 as the last one: the leap day 2028-02-29, and 2027-02-23 in a year without one', () => {
		const r = rule('r', { kind: 'nthWeekdayOfMonth', weekday: 2, nths: [-1] });
		expect(datesOf(indre, '2028-02-01', '2028-03-31', r)).toEqual(['2028-02-29', '2028-03-28']);
		expect(datesOf(indre, '2027-02-01', '2027-02-28', r)).toEqual(['2027-02-23']);
	});

	it('produces a 5th weekday only in months that have one', () => {
		const r = rule('r', { kind: 'nthWeekdayOfMonth', weekday: 2, nths: [5] });
		expect(datesOf(indre, '2028-01-01', '2028-03-31', r)).toEqual(['2028-02-29']);
		expect(datesOf(indre, '2027-02-01', '2027-02-28', r)).toEqual([]);
	});

	it('produces a day once when it is both the 4th and the last', () => {
		const r = rule('r', { kind: 'nthWeekdayOfMonth', weekday: 2, nths: [4, -1] });
		expect(datesOf(indre, '2027-02-01', '2027-02-28', r)).toEqual(['2027-02-23']);
	});
});

describe('explicit dates', () => {
	it('produces the listed dates within the range, sorted and once each', () => {
		const r = rule('r', { kind: 'dates', dates: ['2026-04-21', '2026-04-07', '2026-04-07', '2026-06-02'] });
		expect(datesOf(indre, '2026-04-01', '2026-04-30', r)).toEqual(['2026-04-07', '2026-04-21']);
	});

	it('keeps a listed date on a public holiday: a coordinator chose it', () => {
		const r = rule('r', { kind: 'dates', dates: ['2026-07-14', '2028-02-29'] });
		expect(datesOf(indre, '2026-01-01', '2028-12-31', r)).toEqual(['2026-07-14', '2028-02-29']);
	});
});

describe('validity, exceptions and holidays', () => {
	it('clips to validFrom and validUntil, both included', () => {
		const r = rule(
			'r',
			{ kind: 'weekly', weekdays: [2] },
			{ validFrom: '2026-03-10', validUntil: '2026-03-24' }
		);
		expect(datesOf(indre, '2026-03-01', '2026-04-30', r)).toEqual(['2026-03-10', '2026-03-17', '2026-03-24']);
	});

	it('produces nothing when the range and the validity do not meet', () => {
		const r = rule(
			'r',
			{ kind: 'weekly', weekdays: [2] },
			{ validFrom: '2026-06-01', validUntil: '2026-06-30' }
		);
		expect(datesOf(indre, '2026-03-01', '2026-04-30', r)).toEqual([]);
	});

	it('skips exception dates, for recurring rules and date lists alike', () => {
		const weekly = rule('w', { kind: 'weekly', weekdays: [2] }, { exceptDates: ['2026-03-17'] });
		expect(datesOf(indre, '2026-03-10', '2026-03-24', weekly)).toEqual(['2026-03-10', '2026-03-24']);
		const listed = rule(
			'l',
			{ kind: 'dates', dates: ['2026-03-10', '2026-03-17'] },
			{ exceptDates: ['2026-03-10'] }
		);
		expect(datesOf(indre, '2026-03-01', '2026-03-31', listed)).toEqual(['2026-03-17']);
	});

	it('skips mainland public holidays for recurring rules', () => {
		const r = rule('r', { kind: 'weekly', weekdays: [1, 2, 3, 4, 5] });
		const dates = datesOf(indre, '2026-05-01', '2026-05-31', r);
		expect(dates).not.toContain('2026-05-01');
		expect(dates).not.toContain('2026-05-08');
		expect(dates).not.toContain('2026-05-14');
		expect(dates).not.toContain('2026-05-25');
		expect(dates).toHaveLength(21 - 4);
	});

	it('keeps 26 December for a mainland bus and skips it for an Alsace-Moselle bus', () => {
		const r = rule('r', { kind: 'weekly', weekdays: [6] });
		expect(datesOf(indre, '2026-12-26', '2026-12-26', r)).toEqual(['2026-12-26']);
		const moselle = { id: 'fs-57', territory: 'alsace-moselle' as const };
		expect(datesOf(moselle, '2026-12-26', '2026-12-26', r)).toEqual([]);
	});
});

describe('an overseas bus', () => {
	const weekdays = rule('r', { kind: 'weekly', weekdays: [1, 2, 3, 4, 5] });

	it('in Guyane skips 10 June (abolition of slavery) and the mainland holidays, where a mainland bus keeps 10 June', () => {
		const dates = datesOf(guyane, '2026-05-01', '2026-06-15', weekdays);
		for (const holiday of ['2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25', '2026-06-10']) {
			expect(dates, holiday).not.toContain(holiday);
		}
		expect(dates).toContain('2026-05-27');
		expect(datesOf(indre, '2026-06-10', '2026-06-10', weekdays)).toEqual(['2026-06-10']);
	});

	it('in Guyane opens at 09:00 Cayenne time, 12:00 UTC', () => {
		const [day] = generateServiceDays(circuitOf(guyane, weekdays), guyane, {
			from: '2026-06-11',
			to: '2026-06-11'
		});
		expect(day).toBeDefined();
		const opening = toInstant(day!.date, day!.start, timeZoneOf(guyane.territory));
		expect(opening.toISOString()).toBe('2026-06-11T12:00:00.000Z');
	});

	it('in La Réunion skips 20 December, which a mainland bus works', () => {
		const mondays = rule('r', { kind: 'weekly', weekdays: [1] });
		expect(datesOf(reunion, '2027-12-13', '2027-12-27', mondays)).toEqual(['2027-12-13', '2027-12-27']);
		expect(datesOf(indre, '2027-12-13', '2027-12-27', mondays)).toEqual([
			'2027-12-13',
			'2027-12-20',
			'2027-12-27'
		]);
	});
});
