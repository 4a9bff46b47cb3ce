/**
 * Territories decide a bus's time zone and public holidays. Mainland France, Alsace-Moselle (two more
 * holidays) and the five overseas departments differ.
 */
export type Territory =
	| 'metropole'
	| 'alsace-moselle'
	| 'guadeloupe'
	| 'martinique'
	| 'guyane'
	| 'reunion'
	| 'mayotte';
