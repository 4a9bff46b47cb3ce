import { describe, expect, it } from 'vitest';
import { statusAfterReport } from './service-day-report';

describe('what a crew report does to its service day', () => {
	it('cancels the day with the reason in public words, "Imprévu" when none was given', () => {
		expect(statusAfterReport({ report: 'cancelled', reason: 'weather' })).toEqual({
			status: 'cancelled',
			reason: 'Intempéries'
		});
		expect(statusAfterReport({ report: 'cancelled' })).toEqual({ status: 'cancelled', reason: 'Imprévu' });
	});

	it('keeps a late day held, with its delay when known ("Retard" alone for old payloads)', () => {
		expect(statusAfterReport({ report: 'late', delayMinutes: 20 })).toEqual({
			status: 'held',
			reason: "Retard d'environ 20 min"
		});
		expect(statusAfterReport({ report: 'late' })).toEqual({ status: 'held', reason: 'Retard' });
	});

	it('marks a held day held without a reason', () => {
		expect(statusAfterReport({ report: 'held' })).toEqual({ status: 'held', reason: null });
	});
});
