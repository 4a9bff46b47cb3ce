import { describe, expect, it } from 'vitest';
import { mobileSites, toBus } from '$lib/server/demo/buses';
import { formatDateLong, formatInstantIn, formatTime, splitDuration, timeZoneName } from './format';

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

describe('an instant in the zone of its bus', () => {
	// Two of the demo's buses: du Ruffecois (Charente) and Grand Sud Caraïbe (Basse-Terre, Guadeloupe, UTC−4 all year).
	const bus = (id: string) => {
		const site = mobileSites.find((candidate) => candidate.id_fs === id);
		if (!site) throw new Error(`id_fs ${id} missing`);
		return toBus(site);
	};
	const guadeloupe = bus('2910');
	const mainland = bus('2023');
	// 12:55 UTC, what a server in UTC printed; Paris (UTC+1 in November) reads 13:55, Basse-Terre 08:55.
	const instant = new Date('2026-11-27T12:55:00Z');

	it('shows a mainland bus its own clock, unnamed, whatever the zone of the process', () => {
		expect(mainland.timeZone).toBe('Europe/Paris');
		expect(formatInstantIn(instant, mainland.timeZone, 'fr')).toBe('27/11/2026 13:55');
		expect(formatInstantIn(instant, mainland.timeZone, 'en')).toBe('27/11/2026, 13:55');
		// Summer time: UTC+2.
		expect(formatInstantIn(new Date('2026-07-01T12:55:00Z'), mainland.timeZone, 'fr')).toBe(
			'01/07/2026 14:55'
		);
	});

	it('shows an overseas bus its own clock and says whose it is', () => {
		expect(guadeloupe.name).toBe('Bus France services Grand Sud Caraïbe');
		expect(formatInstantIn(instant, guadeloupe.timeZone, 'fr')).toBe(
			'27/11/2026 08:55 (heure de la Guadeloupe)'
		);
		expect(formatInstantIn(instant, guadeloupe.timeZone, 'en')).toBe('27/11/2026, 08:55 (Guadeloupe time)');
		// La Réunion (UTC+4) is already on the next day.
		expect(formatInstantIn(new Date('2026-11-27T21:30:00Z'), 'Indian/Reunion', 'fr')).toBe(
			'28/11/2026 01:30 (heure de La Réunion)'
		);
	});

	it('names every overseas zone of the territories, and any other zone by its UTC offset', () => {
		expect(timeZoneName('Europe/Paris', instant, 'fr')).toBeNull();
		expect(timeZoneName('America/Martinique', instant, 'fr')).toBe('heure de la Martinique');
		expect(timeZoneName('America/Cayenne', instant, 'en')).toBe('French Guiana time');
		expect(timeZoneName('Indian/Mayotte', instant, 'fr')).toBe('heure de Mayotte');
		expect(timeZoneName('Asia/Kolkata', instant, 'fr')).toBe('UTC+5:30');
		expect(timeZoneName('America/New_York', instant, 'en')).toBe('UTC\u22125');
		expect(timeZoneName('UTC', instant, 'en')).toBe('UTC');
	});
});
