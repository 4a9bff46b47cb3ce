import { describe, expect, it } from 'vitest';
import type { CircuitRule, Recurrence, ServiceDay } from '$lib/domain/schedule';
import { makeCircuitRule, makeServiceDay } from '$factories/schedule';
import { openingHoursOf, osmDate, recurrenceSelector } from './opening-hours';

const STOP = 'fs-47-monthois';

function rule(id: string, recurrence: Recurrence, overrides: Partial<CircuitRule> = {}): CircuitRule {
	return makeCircuitRule({ id, recurrence, stopId: STOP, ...overrides });
}

/** A window of a few weeks without public holidays in mainland France (1-28 February 2027). */
const FEBRUARY = { from: '2027-02-01', to: '2027-02-28' };

describe('osmDate', () => {
	it('writes year, English month abbreviation and two-digit day', () => {
		expect(osmDate('2026-12-08')).toBe('2026 Dec 08');
		expect(osmDate('2027-05-01')).toBe('2027 May 01');
		expect(() => osmDate('2027-02-29')).toThrow(RangeError);
	});
});

describe('recurrenceSelector', () => {
	it('has a selector for each kind that OSM can say', () => {
		expect(recurrenceSelector({ kind: 'weekly', weekdays: [4, 2, 2] })).toBe('Tu,Th');
		expect(recurrenceSelector({ kind: 'isoWeekParity', parity: 'even', weekdays: [2] })).toBe(
			'week 02-52/2 Tu'
		);
		expect(recurrenceSelector({ kind: 'isoWeekParity', parity: 'odd', weekdays: [1, 5] })).toBe(
			'week 01-53/2 Mo,Fr'
		);
		expect(recurrenceSelector({ kind: 'nthWeekdayOfMonth', weekday: 1, nths: [3, 1] })).toBe('Mo[1,3]');
		expect(recurrenceSelector({ kind: 'nthWeekdayOfMonth', weekday: 5, nths: [-1, 2] })).toBe('Fr[2,-1]');
		expect(
			recurrenceSelector({ kind: 'everyNWeeks', interval: 1, anchor: '2026-01-05', weekdays: [3] })
		).toBe('We');
		expect(
			recurrenceSelector({ kind: 'everyNWeeks', interval: 2, anchor: '2026-01-05', weekdays: [3] })
		).toBeNull();
		expect(recurrenceSelector({ kind: 'dates', dates: ['2026-12-08'] })).toBeNull();
	});
});

describe('openingHoursOf', () => {
	it('weekly: one selector, morning and afternoon merged, then PH off', () => {
		const rules = [
			rule('am', { kind: 'weekly', weekdays: [1] }),
			rule('pm', { kind: 'weekly', weekdays: [1] }, { window: { start: '13:00', end: '16:30' } })
		];
		const hours = openingHoursOf(STOP, rules, 'metropole', FEBRUARY);
		expect(hours.value).toBe('Mo 09:00-12:00,13:00-16:30; PH off');
	});

	it('ISO-week parity: the week selector of the parity', () => {
		const rules = [
			rule('odd', { kind: 'isoWeekParity', parity: 'odd', weekdays: [2] }),
			rule(
				'even',
				{ kind: 'isoWeekParity', parity: 'even', weekdays: [2] },
				{ window: { start: '13:30', end: '16:30' } }
			)
		];
		expect(openingHoursOf(STOP, rules, 'metropole', FEBRUARY).value).toBe(
			'week 01-53/2 Tu 09:00-12:00, week 02-52/2 Tu 13:30-16:30; PH off'
		);
	});

	it('nth weekday of the month, the last one included', () => {
		const rules = [rule('nth', { kind: 'nthWeekdayOfMonth', weekday: 1, nths: [1, 3, -1] })];
		expect(openingHoursOf(STOP, rules, 'metropole', FEBRUARY).value).toBe('Mo[1,3,-1] 09:00-12:00; PH off');
	});

	it('explicit dates: each date of the horizon, with a note that later ones are not listed', () => {
		const rules = [rule('dates', { kind: 'dates', dates: ['2027-02-04', '2027-02-18', '2027-06-10'] })];
		const hours = openingHoursOf(STOP, rules, 'guadeloupe', FEBRUARY);
		expect(hours.value).toBe('2027 Feb 04 09:00-12:00; 2027 Feb 18 09:00-12:00');
		expect(hours.notes.join(' ')).toContain('jusqu’au 2027-02-28');
	});

	it('every N weeks: listed as dates, and said to be inexpressible', () => {
		const rules = [
			rule('fortnight', { kind: 'everyNWeeks', interval: 2, anchor: '2026-01-05', weekdays: [1] })
		];
		const hours = openingHoursOf(STOP, rules, 'guadeloupe', FEBRUARY);
		// Mondays of even distance from 5 January 2026: 1 and 15 February 2027 (56 and 58 weeks on).
		expect(hours.value).toBe('2027 Feb 01 09:00-12:00; 2027 Feb 15 09:00-12:00');
		expect(hours.notes.join(' ')).toContain('Toutes les N semaines');
	});

	it('exception dates: the date is off, or keeps the hours of the other rules that day', () => {
		const rules = [
			rule('am', { kind: 'weekly', weekdays: [1] }, { exceptDates: ['2027-02-08'] }),
			rule(
				'pm',
				{ kind: 'weekly', weekdays: [1] },
				{ window: { start: '13:00', end: '16:30' }, exceptDates: ['2027-02-08', '2027-02-15'] }
			)
		];
		expect(openingHoursOf(STOP, rules, 'metropole', FEBRUARY).value).toBe(
			'Mo 09:00-12:00,13:00-16:30; PH off; 2027 Feb 08 off; 2027 Feb 15 09:00-12:00'
		);
	});

	it('public holidays of the horizon are listed off too, for readers without holiday data', () => {
		// Monday 17 May 2027 is Whit Monday; Monday 10 May is not a holiday.
		const rules = [rule('mon', { kind: 'weekly', weekdays: [1] })];
		expect(openingHoursOf(STOP, rules, 'metropole', { from: '2027-05-10', to: '2027-05-23' }).value).toBe(
			'Mo 09:00-12:00; PH off; 2027 May 17 off'
		);
	});

	it('a rule that ends carries its date range', () => {
		const rules = [rule('mon', { kind: 'weekly', weekdays: [3] }, { validUntil: '2027-06-30' })];
		expect(openingHoursOf(STOP, rules, 'metropole', FEBRUARY).value).toBe(
			'2025 Sep 01-2027 Jun 30 We 09:00-12:00; PH off'
		);
	});

	it('stored days win: cancelled is off, other hours show, moved to another stop is off here, added by hand counts', () => {
		const rules = [rule('mon', { kind: 'weekly', weekdays: [1] })];
		const stored = (id: string, date: string, overrides: Partial<ServiceDay> = {}): ServiceDay =>
			makeServiceDay({ id, busId: 'fs-47', stopId: STOP, ruleId: 'mon', date, ...overrides });
		const days = [
			stored('mon@2027-02-01', '2027-02-01', { status: 'cancelled', reason: 'Panne' }),
			stored('mon@2027-02-08', '2027-02-08', { start: '10:00', end: '12:00', status: 'moved' }),
			stored('extra', '2027-02-10', { ruleId: null, start: '14:00', end: '16:00' }),
			stored('other-stop', '2027-02-11', { stopId: 'elsewhere' }),
			stored('mon@2027-02-15', '2027-02-15', { stopId: 'elsewhere', status: 'moved' }),
			stored('mon@2027-03-01', '2027-03-01', { status: 'cancelled' })
		];
		expect(openingHoursOf(STOP, rules, 'metropole', FEBRUARY, days).value).toBe(
			'Mo 09:00-12:00; PH off; 2027 Feb 01 off; 2027 Feb 08 10:00-12:00; 2027 Feb 10 14:00-16:00; 2027 Feb 15 off'
		);
	});

	it('ignores rules of other stops, and has no value for a stop without any', () => {
		const rules = [rule('other', { kind: 'weekly', weekdays: [1] }, { stopId: 'elsewhere' })];
		expect(openingHoursOf(STOP, rules, 'metropole', FEBRUARY)).toEqual({ value: null, notes: [] });
	});

	it('a rule that starts after the horizon is left out, and said so', () => {
		const rules = [rule('later', { kind: 'weekly', weekdays: [1] }, { validFrom: '2027-09-01' })];
		const hours = openingHoursOf(STOP, rules, 'metropole', FEBRUARY);
		expect(hours.value).toBeNull();
		expect(hours.notes.join(' ')).toContain('après l’horizon');
	});
});
