import { describe, expect, it } from 'vitest';
import { isOffPlanDateAllowed, proposedOffPlanWindow, samePlace } from './off-plan';

describe('off-plan rules', () => {
	it('proposes two hours from the half hour begun, in the bus’s zone', () => {
		expect(proposedOffPlanWindow(new Date('2026-03-10T10:20:00Z'), 'Europe/Paris')).toEqual({
			start: '11:00',
			end: '13:00'
		});
		expect(proposedOffPlanWindow(new Date('2026-03-10T10:45:00Z'), 'America/Cayenne')).toEqual({
			start: '07:30',
			end: '09:30'
		});
		expect(proposedOffPlanWindow(new Date('2026-03-10T22:50:00Z'), 'Europe/Paris')).toEqual({
			start: '23:30',
			end: '23:59'
		});
	});

	it('allows the day it was opened, one either side, and never past the server’s tomorrow', () => {
		const opened = new Date('2026-03-10T10:00:00Z');
		const received = new Date('2026-03-12T10:00:00Z');
		const allowed = (date: string, at = received) => isOffPlanDateAllowed(date, opened, at, 'Europe/Paris');
		expect(['2026-03-09', '2026-03-10', '2026-03-11'].map((date) => allowed(date))).toEqual([
			true,
			true,
			true
		]);
		expect(allowed('2026-03-08')).toBe(false);
		expect(allowed('2026-03-12')).toBe(false);
		expect(allowed('2026-03-11', new Date('2026-03-09T10:00:00Z'))).toBe(false);
	});

	it('tells the same place whatever its case, accents and spaces', () => {
		expect(samePlace('Place de la Mairie', ' place  de la mairie ')).toBe(true);
		expect(samePlace('Salle des fêtes', 'SALLE DES FETES')).toBe(true);
		expect(samePlace('Salle des fêtes', 'Parking')).toBe(false);
	});
});
