import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lateDelayOf, statusAfterReport } from './service-day-report';

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

describe('a late day read back from its status', () => {
	it('finds the delay of any late report, whatever its length', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 24 * 60 }), (delayMinutes) => {
				expect(lateDelayOf(statusAfterReport({ report: 'late', delayMinutes }))).toEqual({ delayMinutes });
			})
		);
		expect(lateDelayOf(statusAfterReport({ report: 'late' }))).toEqual({ delayMinutes: null });
	});

	it('finds no delay on a held or cancelled day, nor on a reason that only looks alike', () => {
		expect(lateDelayOf(statusAfterReport({ report: 'held' }))).toBeNull();
		expect(lateDelayOf(statusAfterReport({ report: 'cancelled', reason: 'breakdown' }))).toBeNull();
		expect(lateDelayOf({ status: 'cancelled', reason: "Retard d'environ 20 min" })).toBeNull();
		expect(lateDelayOf({ status: 'held', reason: 'Retardé par la neige' })).toBeNull();
		expect(lateDelayOf({ status: 'planned', reason: null })).toBeNull();
	});
});
