import { describe, expect, it } from 'vitest';
import { normalizeFrenchPhone } from './phone';

describe('French phone numbers', () => {
	it('normalise the common ways of writing a mainland number to ten digits', () => {
		for (const written of [
			'06 12 34 56 78',
			'06.12.34.56.78',
			'06-12-34-56-78',
			'+33 6 12 34 56 78',
			'+33 (0)6 12 34 56 78',
			'0033612345678'
		]) {
			expect(normalizeFrenchPhone(written), written).toBe('0612345678');
		}
		expect(normalizeFrenchPhone('02 54 12 34 56')).toBe('0254123456');
	});

	it('bring overseas country codes back to the national form', () => {
		expect(normalizeFrenchPhone('+590 690 12 34 56')).toBe('0690123456');
		expect(normalizeFrenchPhone('+594 694 12 34 56')).toBe('0694123456');
		expect(normalizeFrenchPhone('+596 696 12 34 56')).toBe('0696123456');
		expect(normalizeFrenchPhone('+262 692 12 34 56')).toBe('0692123456');
		expect(normalizeFrenchPhone('+262 639 12 34 56')).toBe('0639123456');
	});

	it('refuse foreign, incomplete, special-rate and mismatched numbers', () => {
		for (const written of [
			'+44 20 7946 0958',
			'06 12 34 56',
			'0812345678',
			'+33 8 00 12 34 56',
			'+590 612 34 56 78',
			'appelez-moi',
			''
		]) {
			expect(normalizeFrenchPhone(written), written).toBeNull();
		}
	});
});
