import { describe, expect, it } from 'vitest';
import { makeServiceDay } from '$factories/schedule';
import { serviceDayAt } from './service-day-choice';

const PARIS = 'Europe/Paris';
const MORNING = makeServiceDay({ id: 'morning', date: '2026-03-10', start: '09:00', end: '12:00' });
const AFTERNOON = makeServiceDay({ id: 'afternoon', date: '2026-03-10', start: '13:00', end: '16:30' });
/** 10 March 2026 in Paris is UTC+1: 14:03 there is 13:03 UTC. */
const at = (utc: string) => new Date(`2026-03-10T${utc}:00.000Z`);

describe('serviceDayAt', () => {
	it("takes the stop whose window is open now in the bus's zone, whatever the order of the list", () => {
		expect(serviceDayAt([MORNING, AFTERNOON], at('13:03'), PARIS)?.id).toBe('afternoon');
		expect(serviceDayAt([AFTERNOON, MORNING], at('08:30'), PARIS)?.id).toBe('morning');
	});

	it('takes the next stop to open between two stops and before the first', () => {
		expect(serviceDayAt([MORNING, AFTERNOON], at('11:15'), PARIS)?.id).toBe('afternoon');
		expect(serviceDayAt([AFTERNOON, MORNING], at('06:00'), PARIS)?.id).toBe('morning');
	});

	it('takes the last stop once every window has closed, and nothing on a day without stops', () => {
		expect(serviceDayAt([MORNING, AFTERNOON], at('17:45'), PARIS)?.id).toBe('afternoon');
		expect(serviceDayAt([], at('10:00'), PARIS)).toBeUndefined();
	});

	it("reads the windows in the bus's zone, not UTC: 09:30 in Cayenne is 12:30 UTC", () => {
		const cayenne = 'America/Cayenne';
		expect(serviceDayAt([MORNING, AFTERNOON], at('12:30'), cayenne)?.id).toBe('morning');
	});
});
