/**
 * French phone numbers, for a referral's call-back contact only. Stored in the national 10-digit form
 * (`0612345678`), which dials from any French line, mainland or overseas.
 */

// Overseas departments have their own country codes; each maps back to national prefixes (ARCEP plan).
const OVERSEAS_PREFIXES: Record<string, string[]> = {
	'590': ['590', '690', '691'], // Guadeloupe (and Saint-Martin, Saint-Barthélemy)
	'594': ['594', '694'], // Guyane
	'596': ['596', '696', '697'], // Martinique
	'262': ['262', '263', '692', '693', '269', '639'] // La Réunion, Mayotte
};

// 01-05 geographic, 06-07 mobile, 09 internet boxes. 08 is excluded: special-rate services, never a person.
const NATIONAL = /^0[1-79]\d{8}$/;

/**
 * The national form of a French number written any common way (`06 12 34 56 78`, `06.12.34.56.78`,
 * `+33 6 12 34 56 78`, `+33 (0)6…`, `0033…`, `+590 690…`), or null when it is not one.
 */
export function normalizeFrenchPhone(input: string): string | null {
	const compact = input.replace(/\(0\)/g, '').replace(/[\s.\-()/]/g, '');
	if (NATIONAL.test(compact)) return compact;
	const international = /^(?:\+|00)(\d{11,12})$/.exec(compact)?.[1];
	if (!international) return null;
	if (international.startsWith('33') && international.length === 11) {
		const national = `0${international.slice(2)}`;
		return NATIONAL.test(national) ? national : null;
	}
	const countryCode = international.slice(0, 3);
	const subscriber = international.slice(3);
	const prefixes = OVERSEAS_PREFIXES[countryCode];
	if (!prefixes || subscriber.length !== 9 || !prefixes.some((p) => subscriber.startsWith(p))) return null;
	return `0${subscriber}`;
}
