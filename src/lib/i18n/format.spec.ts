import { describe, expect, it } from 'vitest';
import { formatDateLong, formatTime, splitDuration } from './format';

describe('dates and times in words', () => {
	it('writes a service date in words in French and English', () => {
		expect(formatDateLong('2026-12-08', 'fr')).toBe('mardi 8 décembre');
		expect(formatDateLong('2026-12-08', 'en')).toBe('Tuesday 8 December');
		expect(formatDateLong('2028-02-29', 'fr')).toBe('mardi 29 février');
	});

	it('writes times the French way and the English way', () => {
		expect(formatTime('09:00', 'fr')).toBe('9 h');
		expect(formatTime('13:30', 'fr')).toBe('13 h 30');
		expect(formatTime('09:05', 'en')).toBe('9:05');
	});
});

describe('waiting times', () => {
	it('counts in minutes, then hours, then days', () => {
		expect(splitDuration(59_999)).toEqual({ unit: 'minutes', count: 0 });
		expect(splitDuration(119 * 60_000)).toEqual({ unit: 'minutes', count: 119 });
		expect(splitDuration(2 * 3_600_000)).toEqual({ unit: 'hours', count: 2 });
		expect(splitDuration(47 * 3_600_000)).toEqual({ unit: 'hours', count: 47 });
		expect(splitDuration(3 * 86_400_000)).toEqual({ unit: 'days', count: 3 });
	});
});
