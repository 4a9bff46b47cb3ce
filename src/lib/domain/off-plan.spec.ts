import { describe, expect, it } from 'vitest';
import { isOffPlanDateAllowed, offPlanStopFor, proposedOffPlanWindow, samePlace } from './off-plan';
import type { Stop } from './schedule';

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

	it('reuses the bus’s stop with the same place in the commune, else opens one near another stop there, else home', () => {
		const commune = { insee: '08490', name: 'Vouziers', postalCodes: ['08400'] };
		const home = { latitude: 49.4, longitude: 4.7 };
		const stop = (id: string, insee: string, place: string, latitude: number): Stop => ({
			id,
			busId: 'fs-1',
			insee,
			commune: 'x',
			postalCode: '08400',
			place,
			address: null,
			accessNotes: null,
			latitude,
			longitude: 4
		});
		const stops = [stop('a', '08001', 'Mairie', 1), stop('b', '08490', 'Place Carnot', 2)];
		const open = { busId: 'fs-1', place: ' place carnot ' };
		expect(offPlanStopFor(open, commune, stops, home, 'new')).toEqual({ stop: stops[1], existing: true });

		const other = offPlanStopFor({ ...open, place: 'Parking du stade' }, commune, stops, home, 'new');
		expect(other.existing).toBe(false);
		expect(other.stop).toMatchObject({
			id: 'new',
			insee: '08490',
			commune: 'Vouziers',
			postalCode: '08400',
			place: 'Parking du stade',
			latitude: 2,
			offPlan: true
		});
		const elsewhere = offPlanStopFor(open, { ...commune, insee: '08999' }, stops, home, 'new');
		expect(elsewhere.stop).toMatchObject({ latitude: 49.4, longitude: 4.7, offPlan: true });
	});
});
