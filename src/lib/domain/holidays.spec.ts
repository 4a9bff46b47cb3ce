import { describe, expect, it } from 'vitest';
import { easterSunday, holidayName, isPublicHoliday, publicHolidays } from './holidays';
import { TERRITORIES } from './territory';

describe('Easter', () => {
	it('falls on the known dates, including the earliest and latest possible', () => {
		expect(easterSunday(2008)).toBe('2008-03-23');
		expect(easterSunday(2019)).toBe('2019-04-21');
		expect(easterSunday(2024)).toBe('2024-03-31');
		expect(easterSunday(2025)).toBe('2025-04-20');
		expect(easterSunday(2026)).toBe('2026-04-05');
		expect(easterSunday(2027)).toBe('2027-03-28');
		expect(easterSunday(2028)).toBe('2028-04-16');
		expect(easterSunday(2038)).toBe('2038-04-25');
		expect(easterSunday(2285)).toBe('2285-03-22');
	});
});

describe('public holidays', () => {
	it('lists the eleven national holidays of 2026 in mainland France, in date order', () => {
		expect([...publicHolidays('metropole', 2026)]).toEqual([
			['2026-01-01', "Jour de l'an"],
			['2026-04-06', 'Lundi de Pâques'],
			['2026-05-01', 'Fête du Travail'],
			['2026-05-08', 'Victoire du 8 mai 1945'],
			['2026-05-14', 'Ascension'],
			['2026-05-25', 'Lundi de Pentecôte'],
			['2026-07-14', 'Fête nationale'],
			['2026-08-15', 'Assomption'],
			['2026-11-01', 'Toussaint'],
			['2026-11-11', 'Armistice du 11 novembre 1918'],
			['2026-12-25', 'Noël']
		]);
	});

	it('moves Easter Monday, Ascension and Whit Monday with Easter', () => {
		const holidays2027 = publicHolidays('metropole', 2027);
		expect(holidays2027.get('2027-03-29')).toBe('Lundi de Pâques');
		expect(holidays2027.get('2027-05-06')).toBe('Ascension');
		expect(holidays2027.get('2027-05-17')).toBe('Lundi de Pentecôte');
	});

	it('adds Good Friday and 26 December in Alsace-Moselle only', () => {
		const alsace = publicHolidays('alsace-moselle', 2026);
		expect(alsace.size).toBe(13);
		expect(alsace.get('2026-04-03')).toBe('Vendredi saint');
		expect(alsace.get('2026-12-26')).toBe('Saint-Étienne');
		expect(isPublicHoliday('metropole', '2026-04-03')).toBe(false);
		expect(isPublicHoliday('metropole', '2026-12-26')).toBe(false);
	});

	it("adds each overseas department's own abolition-of-slavery day", () => {
		expect(holidayName('mayotte', '2026-04-27')).toBe("Abolition de l'esclavage");
		expect(holidayName('martinique', '2026-05-22')).toBe("Abolition de l'esclavage");
		expect(holidayName('guadeloupe', '2026-05-27')).toBe("Abolition de l'esclavage");
		expect(holidayName('guyane', '2026-06-10')).toBe("Abolition de l'esclavage");
		expect(holidayName('reunion', '2026-12-20')).toBe("Abolition de l'esclavage");
		expect(isPublicHoliday('guyane', '2026-05-27')).toBe(false);
		expect(isPublicHoliday('metropole', '2026-06-10')).toBe(false);
		expect(publicHolidays('guyane', 2026).size).toBe(12);
	});

	it('keeps the national holidays in every territory', () => {
		for (const territory of TERRITORIES) {
			expect(isPublicHoliday(territory, '2026-07-14'), territory).toBe(true);
			expect(isPublicHoliday(territory, '2026-05-25'), territory).toBe(true);
		}
	});

	it('joins the names when two holidays share a day', () => {
		expect(holidayName('metropole', '2008-05-01')).toBe('Fête du Travail et Ascension');
		expect(publicHolidays('metropole', 2008).size).toBe(10);
	});

	it('hands out a copy that callers cannot use to change the next answer', () => {
		publicHolidays('metropole', 2026).delete('2026-12-25');
		expect(isPublicHoliday('metropole', '2026-12-25')).toBe(true);
	});

	it('says an ordinary day is no holiday', () => {
		expect(holidayName('metropole', '2026-03-10')).toBeNull();
	});
});
