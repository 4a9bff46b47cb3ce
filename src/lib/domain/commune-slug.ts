/**
 * Stable URL names of communes: `vouziers-08490`. The name part is for people (lower-case, no accents,
 * hyphens for spaces and apostrophes); the INSEE code at the end is what identifies the commune, so two
 * communes of the same name never collide and a renamed commune keeps resolving by its code.
 */

/** A commune's INSEE code: five digits, or Corsica's `2A` / `2B` followed by three digits. */
const INSEE = /^(?:\d{5}|2[AB]\d{3})$/;
/** The slug as `communeSlug` writes it: lower-case words joined by hyphens, then the lower-cased code. */
const SLUG = /^(?:[a-z0-9]+(?:-[a-z0-9]+)*-)?(\d{5}|2[ab]\d{3})$/;

/** Letters that Unicode does not decompose into a base letter and an accent. */
const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', ł: 'l', đ: 'd' };

/** The name part alone: "L'Île-d'Yeu" -> "l-ile-d-yeu". Empty when the name has no letter or digit. */
export function slugifyName(name: string): string {
	return name
		.toLowerCase()
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.replace(/[œæßøłđ]/g, (letter) => LIGATURES[letter] ?? letter)
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
}

/** `communeSlug('Vouziers', '08490')` = `vouziers-08490`. Throws on a malformed INSEE code. */
export function communeSlug(name: string, insee: string): string {
	const code = insee.trim().toUpperCase();
	if (!INSEE.test(code)) throw new RangeError(`Not an INSEE commune code: ${JSON.stringify(insee)}`);
	const words = slugifyName(name);
	return words === '' ? code.toLowerCase() : `${words}-${code.toLowerCase()}`;
}

/**
 * The INSEE code a slug names (upper-case, as stored: `2A004`), or null when it is not a slug of that
 * form. The name part is not checked against the commune's name: callers that want one canonical URL
 * compare `communeSlug(name, insee)` with what they were given.
 */
export function parseCommuneSlug(slug: string): string | null {
	if (slug.length > 200) return null;
	const match = SLUG.exec(slug);
	return match?.[1] ? match[1].toUpperCase() : null;
}
