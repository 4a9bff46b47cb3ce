import { describe, expect, it } from 'vitest';
import { foldEmail, normalizeEmail } from './email';

describe('the normal form of an email', () => {
	it('is one address whatever the case, spaces, full-width letters or invisible characters', () => {
		for (const spelling of [
			' Claire.Martin@Exemple.FR ',
			'ｃｌａｉｒｅ．ｍａｒｔｉｎ＠ｅｘｅｍｐｌｅ．ｆｒ',
			'ＣＬＡＩＲＥ.martin@exemple.fr',
			'claire.mar\u200btin@exemple.fr',
			'\ufeffclaire\u200d.martin\u2060@exemple.fr\u00ad',
			'\u00a0claire.martin@exemple.fr\u00a0',
			'claire. martin@exemple .fr',
			'\u3000claire.martin@exemple.fr\t\n'
		]) {
			expect(normalizeEmail(spelling)).toBe('claire.martin@exemple.fr');
		}
	});

	it('leaves an address already in that form as it is, so stored addresses need no migration', () => {
		for (const stored of [
			'claire.martin@exemple.fr',
			'a_b+c-d@sous.domaine-1.fr',
			'coordination@demo.escale.fr'
		]) {
			expect(normalizeEmail(stored)).toBe(stored);
			expect(foldEmail(stored)).toBe(stored);
		}
	});

	it('refuses what is not an address once folded, or is longer than 254 characters', () => {
		for (const bad of [
			'',
			'   ',
			'pas une adresse',
			'élodie@exemple.fr',
			'a@b',
			`${'a'.repeat(250)}@x.fr`,
			42,
			null
		]) {
			expect(normalizeEmail(bad)).toBeNull();
		}
	});

	it('folds even a malformed address, for the brake', () => {
		expect(foldEmail(' Pas\u200b Une ADRESSE ')).toBe('pasuneadresse');
	});
});
