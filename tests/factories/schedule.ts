/**
 * Stops and service days for tests: a planned morning at the market of Ahun (bus fs-1) unless a test says
 * otherwise. Shared by the client, server, sync and bench suites.
 */
import type { CircuitRule, ServiceDay, Stop } from '$lib/domain/schedule';

/** Where a stop is: the commune, the place and the point on the map. */
export type StopPlace = Pick<Stop, 'insee' | 'commune' | 'postalCode' | 'place' | 'latitude' | 'longitude'>;

/** The market square of Ahun (Creuse), the default stop. */
export const AHUN: StopPlace = {
	insee: '23001',
	commune: 'Ahun',
	postalCode: '23150',
	place: 'Place du marché',
	latitude: 46.08,
	longitude: 2.04
};

/** The town hall square of Châteauroux (Indre), where the sync fixture's buses stop. */
export const CHATEAUROUX: StopPlace = {
	insee: '36044',
	commune: 'Châteauroux',
	postalCode: '36000',
	place: 'Place de la mairie',
	latitude: 46.81,
	longitude: 1.69
};

/** A stop of bus fs-1 at Ahun; `overrides` change what a test is about. */
export function makeStop(overrides: Partial<Stop> = {}): Stop {
	return {
		id: 'fs-1-ahun',
		busId: 'fs-1',
		insee: AHUN.insee,
		commune: AHUN.commune,
		postalCode: AHUN.postalCode,
		place: AHUN.place,
		address: null,
		accessNotes: null,
		latitude: AHUN.latitude,
		longitude: AHUN.longitude,
		...overrides
	};
}

/** A planned morning (09:00-12:00) of bus fs-1 at Ahun on 10 March 2026; `overrides` change what a test is about. */
export function makeServiceDay(overrides: Partial<ServiceDay> = {}): ServiceDay {
	return {
		id: 'fs-1-marche@2026-03-10',
		busId: 'fs-1',
		stopId: 'fs-1-ahun',
		ruleId: 'fs-1-marche',
		date: '2026-03-10',
		start: '09:00',
		end: '12:00',
		status: 'planned',
		reason: null,
		...overrides
	};
}

/** A circuit rule: its stop's mornings (09:00-12:00) from September 2025 on, no end, no exception. */
export function makeCircuitRule({
	id,
	recurrence,
	...overrides
}: Partial<CircuitRule> & Pick<CircuitRule, 'id' | 'recurrence'>): CircuitRule {
	return {
		id,
		stopId: 'stop-mairie',
		recurrence,
		window: { start: '09:00', end: '12:00' },
		validFrom: '2025-09-01',
		validUntil: null,
		exceptDates: [],
		...overrides
	};
}
