import { afterEach, describe, expect, it } from 'vitest';
import {
	addDays,
	compareDates,
	daysBetween,
	daysInMonth,
	eachDate,
	isLocalDate,
	isLocalTime,
	isoWeek,
	isoWeekday,
	isoWeeksInYear,
	localDateIn,
	mondayOf,
	parseLocalDate,
	serviceDayInterval,
	toInstant
} from './calendar';

describe('local dates', () => {
	it('accepts real YYYY-MM-DD dates only', () => {
		expect(isLocalDate('2028-02-29')).toBe(true);
		expect(isLocalDate('2027-02-29')).toBe(false);
		expect(isLocalDate('2026-04-31')).toBe(false);
		expect(isLocalDate('2026-1-05')).toBe(false);
		expect(isLocalDate('2026-01-05T00:00')).toBe(false);
		expect(isLocalDate(20260105)).toBe(false);
		expect(parseLocalDate('2026-12-28')).toEqual({ year: 2026, month: 12, day: 28 });
	});

	it('accepts HH:MM times from 00:00 to 23:59', () => {
		expect(isLocalTime('09:00')).toBe(true);
		expect(isLocalTime('23:59')).toBe(true);
		expect(isLocalTime('24:00')).toBe(false);
		expect(isLocalTime('9:00')).toBe(false);
	});

	it('adds days across months, years and leap days', () => {
		expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
		expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
		expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
		expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
		expect(daysBetween('2026-12-28', '2027-01-04')).toBe(7);
		expect(compareDates('2026-12-31', '2027-01-01')).toBeLessThan(0);
	});

	it('throws on a date that does not exist rather than rolling it over', () => {
		expect(() => addDays('2027-02-29', 1)).toThrow(RangeError);
	});

	it('counts the days of each month, with 29 in February of leap years only', () => {
		expect(daysInMonth(2028, 2)).toBe(29);
		expect(daysInMonth(2027, 2)).toBe(28);
		expect(daysInMonth(2100, 2)).toBe(28);
		expect(daysInMonth(2000, 2)).toBe(29);
		expect(daysInMonth(2026, 4)).toBe(30);
		expect(daysInMonth(2026, 12)).toBe(31);
	});

	it('lists every date between two dates, both included', () => {
		expect(eachDate('2028-02-27', '2028-03-01')).toEqual([
			'2028-02-27',
			'2028-02-28',
			'2028-02-29',
			'2028-03-01'
		]);
		expect(eachDate('2026-01-02', '2026-01-01')).toEqual([]);
	});
});

describe('ISO weekdays and weeks', () => {
	it('numbers weekdays from Monday (1) to Sunday (7)', () => {
		expect(isoWeekday('2026-12-28')).toBe(1);
		expect(isoWeekday('2027-01-03')).toBe(7);
		expect(isoWeekday('2028-02-29')).toBe(2);
		expect(isoWeekday('1970-01-01')).toBe(4);
		expect(isoWeekday('1969-12-29')).toBe(1);
		expect(mondayOf('2027-01-03')).toBe('2026-12-28');
	});

	it('puts 2026-12-28 to 2027-01-03 in week 53 of ISO year 2026', () => {
		for (const date of eachDate('2026-12-28', '2027-01-03')) {
			expect(isoWeek(date)).toEqual({ year: 2026, week: 53 });
		}
		expect(isoWeek('2027-01-04')).toEqual({ year: 2027, week: 1 });
		expect(isoWeek('2026-12-27')).toEqual({ year: 2026, week: 52 });
	});

	it('knows which years have 53 ISO weeks', () => {
		expect(isoWeeksInYear(2026)).toBe(53);
		expect(isoWeeksInYear(2027)).toBe(52);
		expect(isoWeeksInYear(2020)).toBe(53);
		expect(isoWeeksInYear(2032)).toBe(53);
	});

	it('puts early January in the previous ISO year when the week started in December', () => {
		expect(isoWeek('2021-01-03')).toEqual({ year: 2020, week: 53 });
		expect(isoWeek('2024-12-30')).toEqual({ year: 2025, week: 1 });
		expect(isoWeek('2026-01-01')).toEqual({ year: 2026, week: 1 });
	});
});

describe('instants in the bus time zone', () => {
	it('tells each zone its own today at the same instant', () => {
		const instant = new Date('2026-12-08T02:30:00.000Z');
		expect(localDateIn(instant, 'Europe/Paris')).toBe('2026-12-08');
		expect(localDateIn(instant, 'America/Guadeloupe')).toBe('2026-12-07');
		expect(localDateIn(instant, 'Indian/Reunion')).toBe('2026-12-08');
		expect(() => localDateIn(instant, 'Mars/Olympus')).toThrow(/time zone/);
	});

	const machineZone = process.env.TZ;
	afterEach(() => {
		if (machineZone === undefined) delete process.env.TZ;
		else process.env.TZ = machineZone;
	});

	it('maps 09:00 in Paris to 08:00 UTC before and 07:00 UTC after the spring change of 2026-03-29', () => {
		expect(toInstant('2026-03-28', '09:00', 'Europe/Paris').toISOString()).toBe('2026-03-28T08:00:00.000Z');
		expect(toInstant('2026-03-29', '09:00', 'Europe/Paris').toISOString()).toBe('2026-03-29T07:00:00.000Z');
	});

	it('maps 09:00 in Paris to 07:00 UTC before and 08:00 UTC after the autumn change of 2026-10-25', () => {
		expect(toInstant('2026-10-24', '09:00', 'Europe/Paris').toISOString()).toBe('2026-10-24T07:00:00.000Z');
		expect(toInstant('2026-10-25', '09:00', 'Europe/Paris').toISOString()).toBe('2026-10-25T08:00:00.000Z');
	});

	it('moves a time skipped by the spring change forward by the gap', () => {
		expect(toInstant('2026-03-29', '02:30', 'Europe/Paris').toISOString()).toBe('2026-03-29T01:30:00.000Z');
	});

	it('uses Cayenne and Réunion time, which have no daylight saving, for overseas buses', () => {
		expect(toInstant('2026-03-29', '09:00', 'America/Cayenne').toISOString()).toBe(
			'2026-03-29T12:00:00.000Z'
		);
		expect(toInstant('2026-10-25', '09:00', 'America/Cayenne').toISOString()).toBe(
			'2026-10-25T12:00:00.000Z'
		);
		expect(toInstant('2026-10-25', '09:00', 'Indian/Reunion').toISOString()).toBe('2026-10-25T05:00:00.000Z');
	});

	it('gives the same instants whatever the zone of the machine running it', () => {
		process.env.TZ = 'Pacific/Auckland';
		expect(toInstant('2026-03-29', '09:00', 'Europe/Paris').toISOString()).toBe('2026-03-29T07:00:00.000Z');
		expect(isoWeekday('2026-03-29')).toBe(7);
		process.env.TZ = 'America/Los_Angeles';
		expect(toInstant('2026-10-25', '09:00', 'Europe/Paris').toISOString()).toBe('2026-10-25T08:00:00.000Z');
		expect(addDays('2026-10-25', 1)).toBe('2026-10-26');
	});

	it('makes the service day of a change 23 or 25 hours long', () => {
		const spring = serviceDayInterval('2026-03-29', 'Europe/Paris');
		expect(spring.start.toISOString()).toBe('2026-03-28T23:00:00.000Z');
		expect(spring.end.toISOString()).toBe('2026-03-29T22:00:00.000Z');
		const autumn = serviceDayInterval('2026-10-25', 'Europe/Paris');
		expect((autumn.end.getTime() - autumn.start.getTime()) / 3_600_000).toBe(25);
	});

	it('refuses an unknown time zone or a malformed time', () => {
		expect(() => toInstant('2026-03-29', '09:00', 'Europe/Atlantis')).toThrow(RangeError);
		expect(() => toInstant('2026-03-29', '9h', 'Europe/Paris')).toThrow(RangeError);
	});
});
