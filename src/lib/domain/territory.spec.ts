import { describe, expect, it } from 'vitest';
import { TERRITORIES, isOverseas, territoryLabels, territoryOfDepartement, timeZoneOf } from './territory';

describe('territories', () => {
	it('maps départements to their territory', () => {
		expect(territoryOfDepartement('971')).toBe('guadeloupe');
		expect(territoryOfDepartement('972')).toBe('martinique');
		expect(territoryOfDepartement('973')).toBe('guyane');
		expect(territoryOfDepartement('974')).toBe('reunion');
		expect(territoryOfDepartement('976')).toBe('mayotte');
		expect(territoryOfDepartement('57')).toBe('alsace-moselle');
		expect(territoryOfDepartement('67')).toBe('alsace-moselle');
		expect(territoryOfDepartement('68')).toBe('alsace-moselle');
		expect(territoryOfDepartement('36')).toBe('metropole');
		expect(territoryOfDepartement('02')).toBe('metropole');
		expect(territoryOfDepartement('2B')).toBe('metropole');
		expect(territoryOfDepartement('2a')).toBe('metropole');
		expect(territoryOfDepartement('1')).toBe('metropole');
	});

	it('refuses codes that are not a département rather than guessing mainland', () => {
		for (const code of ['978', '975', '988', '20', '00', '96', '', 'Indre']) {
			expect(() => territoryOfDepartement(code), code).toThrow(RangeError);
		}
	});

	it('gives each territory its IANA time zone', () => {
		expect(timeZoneOf('metropole')).toBe('Europe/Paris');
		expect(timeZoneOf('alsace-moselle')).toBe('Europe/Paris');
		expect(timeZoneOf('guadeloupe')).toBe('America/Guadeloupe');
		expect(timeZoneOf('martinique')).toBe('America/Martinique');
		expect(timeZoneOf('guyane')).toBe('America/Cayenne');
		expect(timeZoneOf('reunion')).toBe('Indian/Reunion');
		expect(timeZoneOf('mayotte')).toBe('Indian/Mayotte');
	});

	it('has a French label for every territory and knows which are overseas', () => {
		expect(TERRITORIES.map((t) => territoryLabels[t]).every((label) => label.length > 0)).toBe(true);
		expect(territoryLabels.reunion).toBe('La Réunion');
		expect(TERRITORIES.filter(isOverseas)).toEqual([
			'guadeloupe',
			'martinique',
			'guyane',
			'reunion',
			'mayotte'
		]);
	});
});
