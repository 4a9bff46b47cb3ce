/**
 * Territories decide a bus's time zone and public holidays. Mainland France, Alsace-Moselle (two more
 * holidays) and the five overseas departments differ.
 */
export type Territory =
	'metropole' | 'alsace-moselle' | 'guadeloupe' | 'martinique' | 'guyane' | 'reunion' | 'mayotte';

export const TERRITORIES: readonly Territory[] = [
	'metropole',
	'alsace-moselle',
	'guadeloupe',
	'martinique',
	'guyane',
	'reunion',
	'mayotte'
];

const TIME_ZONES: Record<Territory, string> = {
	metropole: 'Europe/Paris',
	'alsace-moselle': 'Europe/Paris',
	guadeloupe: 'America/Guadeloupe',
	martinique: 'America/Martinique',
	guyane: 'America/Cayenne',
	reunion: 'Indian/Reunion',
	mayotte: 'Indian/Mayotte'
};

/** French labels, as a resident reads them ("un bus de La Réunion"). */
export const territoryLabels: Record<Territory, string> = {
	metropole: 'France métropolitaine',
	'alsace-moselle': 'Alsace-Moselle',
	guadeloupe: 'Guadeloupe',
	martinique: 'Martinique',
	guyane: 'Guyane',
	reunion: 'La Réunion',
	mayotte: 'Mayotte'
};

const OVERSEAS: Record<string, Territory> = {
	'971': 'guadeloupe',
	'972': 'martinique',
	'973': 'guyane',
	'974': 'reunion',
	'976': 'mayotte'
};
// Bas-Rhin, Haut-Rhin and Moselle keep their local law (Code du travail, L3134-13): two more holidays.
const ALSACE_MOSELLE = new Set(['57', '67', '68']);
// 01-95 except 20 (split into 2A and 2B in 1976), plus Corsica's two.
const MAINLAND = /^(?:0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5])$/;

/**
 * The territory of a département code as the ANCT list writes it (`'02'`, `'2B'`, `'971'`). Codes that are
 * not a département (975, 977, 978 and 98x are overseas collectivities with their own zones and holidays,
 * which Escale does not model yet) are refused rather than silently treated as mainland.
 */
export function territoryOfDepartement(dep: string): Territory {
	const code = dep.trim().toUpperCase().padStart(2, '0');
	const overseas = OVERSEAS[code];
	if (overseas) return overseas;
	if (ALSACE_MOSELLE.has(code)) return 'alsace-moselle';
	if (MAINLAND.test(code)) return 'metropole';
	throw new RangeError(`Not a département Escale knows: ${JSON.stringify(dep)}`);
}

/** The IANA time zone of a territory. */
export function timeZoneOf(territory: Territory): string {
	return TIME_ZONES[territory];
}

export function isOverseas(territory: Territory): boolean {
	return Object.values(OVERSEAS).includes(territory);
}
