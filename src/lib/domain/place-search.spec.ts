import { describe, expect, it } from 'vitest';
import {
	editDistance,
	normalizePlaceName,
	placeScore,
	readPlaceQuery,
	type PlaceQuery
} from './place-search';

const name = (text: string) => readPlaceQuery(text) as PlaceQuery;
const commune = (text: string, postalCode = '08250') => ({ name: text, postalCode });

describe('finding a commune as residents type it', () => {
	it('forgives accents, case, hyphens, apostrophes and Saint written St', () => {
		expect(normalizePlaceName('Saint-Étienne-à-Arnes')).toBe('saint etienne a arnes');
		expect(normalizePlaceName('ST ETIENNE A ARNES')).toBe('saint etienne a arnes');
		expect(normalizePlaceName("L'Haÿ-les-Roses")).toBe('l hay les roses');
		expect(placeScore(name('st etienne a arnes'), commune('Saint-Étienne-à-Arnes'))).toBe(100);
		expect(placeScore(name('Grandpre'), commune('Grandpré'))).toBe(100);
		expect(placeScore(name('grandprè'), commune('Grandpré'))).toBe(100);
	});

	it('ranks the exact name, then a start, then a word, then a slip of the finger', () => {
		const query = name('vouziers');
		expect(placeScore(query, commune('Vouziers'))).toBe(100);
		expect(placeScore(name('vouz'), commune('Vouziers'))).toBe(80);
		expect(placeScore(name('etienne'), commune('Saint-Étienne-à-Arnes'))).toBe(60);
		expect(placeScore(name('vousiers'), commune('Vouziers'))).toBe(40);
		expect(placeScore(name('montois'), commune('Monthois'))).toBe(40);
		expect(placeScore(name('paris'), commune('Vouziers'))).toBe(0);
	});

	it('reads digits as a postal code, whole or its first digits', () => {
		expect(readPlaceQuery('08 400')).toEqual({ kind: 'postalCode', prefix: '08400' });
		expect(placeScore(readPlaceQuery('08400')!, commune('Vouziers', '08400'))).toBe(100);
		expect(placeScore(readPlaceQuery('08')!, commune('Vouziers', '08400'))).toBe(70);
		expect(placeScore(readPlaceQuery('16')!, commune('Vouziers', '08400'))).toBe(0);
	});

	it('has nothing to search in an empty or punctuation-only query', () => {
		expect(readPlaceQuery('')).toBeNull();
		expect(readPlaceQuery(' - ')).toBeNull();
		expect(readPlaceQuery('a')).toBeNull();
	});

	it('counts edits and stops early above the limit', () => {
		expect(editDistance('monthois', 'montois', 2)).toBe(1);
		expect(editDistance('kitten', 'sitting', 3)).toBe(3);
		expect(editDistance('abc', 'xyzxyz', 1)).toBe(2);
	});
});
