/**
 * Finding a commune the way residents type it: accents, case, hyphens and apostrophes forgiven, "St"/"Ste" read as
 * "Saint"/"Sainte", a postal code or its first digits, and one slip of the finger in a long name. Pure: the server
 * ranks its communes with it, and a test can say exactly what matches.
 */

/** Lower case, no accent, words separated by single spaces, common abbreviations written out. */
export function normalizePlaceName(text: string): string {
	const words = text
		.normalize('NFD')
		.replace(/\p{Diacritic}/gu, '')
		.toLowerCase()
		.replace(/œ/g, 'oe')
		.replace(/æ/g, 'ae')
		.replace(/[^a-z0-9]+/g, ' ')
		.trim()
		.split(' ')
		.filter((word) => word !== '');
	return words.map((word) => ABBREVIATIONS[word] ?? word).join(' ');
}

const ABBREVIATIONS: Record<string, string> = {
	st: 'saint',
	ste: 'sainte',
	sts: 'saints',
	stes: 'saintes',
	s: 'sur',
	ss: 'sous'
};

/** Edit distance of two short strings, stopping early above `max` (returns max + 1 then). */
export function editDistance(a: string, b: string, max: number): number {
	if (Math.abs(a.length - b.length) > max) return max + 1;
	let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		let best = i;
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
			current.push(value);
			best = Math.min(best, value);
		}
		if (best > max) return max + 1;
		previous = current;
	}
	return previous[b.length]!;
}

/** The query as the search reads it: digits are a postal code (prefix), anything else a name. */
export type PlaceQuery = { kind: 'postalCode'; prefix: string } | { kind: 'name'; normalized: string };

/** null when there is nothing to search for (empty, or only punctuation). */
export function readPlaceQuery(input: string): PlaceQuery | null {
	const compact = input.replace(/\s+/g, '');
	if (/^\d{2,5}$/.test(compact)) return { kind: 'postalCode', prefix: compact };
	const normalized = normalizePlaceName(input);
	return normalized.length >= 2 ? { kind: 'name', normalized } : null;
}

/**
 * How well a commune answers the query, 0 when it does not: the exact name first, then a name starting with the
 * query, then a word of the name starting with it, then a name one slip away (two for long names).
 */
export function placeScore(query: PlaceQuery, commune: { name: string; postalCode: string }): number {
	if (query.kind === 'postalCode') {
		if (commune.postalCode === query.prefix) return 100;
		return commune.postalCode.startsWith(query.prefix) ? 70 : 0;
	}
	const name = normalizePlaceName(commune.name);
	const wanted = query.normalized;
	if (name === wanted) return 100;
	if (name.startsWith(wanted)) return 80;
	if (name.split(' ').some((word) => word.startsWith(wanted)) || name.includes(` ${wanted}`)) return 60;
	if (wanted.length >= 4) {
		const allowed = wanted.length >= 8 ? 2 : 1;
		if (editDistance(name, wanted, allowed) <= allowed) return 40;
		// A slip in the start of a longer name ("montois" for "Monthois-sur-...").
		const head = name.slice(0, wanted.length);
		if (editDistance(head, wanted, allowed) <= allowed) return 30;
	}
	return 0;
}
