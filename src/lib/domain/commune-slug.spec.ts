import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { communeSlug, parseCommuneSlug, slugifyName } from './commune-slug';

describe('communeSlug', () => {
	it.each([
		['Vouziers', '08490', 'vouziers-08490'],
		['Nanteuil-en-Vallée', '16242', 'nanteuil-en-vallee-16242'],
		['La Forêt-de-Tessé', '16142', 'la-foret-de-tesse-16142'],
		["L'Île-d'Yeu", '85113', 'l-ile-d-yeu-85113'],
		['L’Haÿ-les-Roses', '94038', 'l-hay-les-roses-94038'],
		['Saint-Amant-de-Boixe', '16295', 'saint-amant-de-boixe-16295'],
		['Bairon et ses environs', '08116', 'bairon-et-ses-environs-08116'],
		['Trois-Rivières', '97132', 'trois-rivieres-97132'],
		['Œuilly', '02566', 'oeuilly-02566'],
		['Ajaccio', '2A004', 'ajaccio-2a004'],
		['  Saint--Août  ', '36180', 'saint-aout-36180']
	])('%s (%s) -> %s', (name, insee, slug) => {
		expect(communeSlug(name, insee)).toBe(slug);
		expect(parseCommuneSlug(slug)).toBe(insee);
	});

	it('refuses a code that is not an INSEE commune code', () => {
		for (const bad of ['', '8490', '084900', '2C004', 'abcde', '08 490']) {
			expect(() => communeSlug('Vouziers', bad), bad).toThrow(RangeError);
		}
	});

	it('keeps only the code when the name has nothing to keep', () => {
		expect(communeSlug('—', '08490')).toBe('08490');
		expect(parseCommuneSlug('08490')).toBe('08490');
	});

	it('always gives back the code it was built with, whatever the name', () => {
		const insee = fc.oneof(fc.stringMatching(/^\d{5}$/), fc.stringMatching(/^2[AB]\d{3}$/));
		fc.assert(
			fc.property(fc.string({ unit: 'binary', maxLength: 60 }), insee, (name, code) => {
				const slug = communeSlug(name, code);
				expect(slug).toMatch(/^[a-z0-9-]+$/);
				expect(slug).not.toMatch(/--|^-/);
				expect(parseCommuneSlug(slug)).toBe(code);
			})
		);
	});
});

describe('slugifyName', () => {
	it('lower-cases, strips accents and joins words with single hyphens', () => {
		expect(slugifyName("Sainte-Marie-aux-Mines d'en Haut")).toBe('sainte-marie-aux-mines-d-en-haut');
		expect(slugifyName('ÉCOLE   Ç')).toBe('ecole-c');
	});
});

describe('parseCommuneSlug', () => {
	it.each([
		'',
		'vouziers',
		'vouziers-0849',
		'vouziers-084900',
		'Vouziers-08490',
		'vouziers--08490',
		'-08490',
		'vouziers_08490',
		'vouziers-08490.ics',
		'vouziers-2c004',
		'../08490',
		`${'a'.repeat(300)}-08490`
	])('refuses %j', (slug) => {
		expect(parseCommuneSlug(slug)).toBeNull();
	});
});
