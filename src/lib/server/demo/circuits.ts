/**
 * Hand-written demo circuits for four real buses of the national list. Long because it is a data table.
 *
 * The first three follow the operators' own descriptions in the list's `commentaire` (2024-08-01); the
 * fourth (Guadeloupe) is illustrative, the list describes no circuit for it. Where the operator names only
 * a commune, the place ("Place de la mairie") is a plausible stand-in, not a fact.
 *
 * INSEE and postal codes come from @etalab/decoupage-administratif (communes.json). Coordinates are
 * approximate (the national list has no commune coordinates): `approximate: commune centre`, a few
 * hundred metres off at worst, good enough for a map pin, not for guiding a driver.
 */
import {
	addDays,
	formatLocalDate,
	isoWeekday,
	parseLocalDate,
	type LocalDate,
	type TimeWindow,
	type Weekday
} from '$lib/domain/calendar';
import type { Recurrence, Stop } from '$lib/domain/schedule';

export interface DemoStop extends Omit<Stop, 'id' | 'busId'> {
	/** Unique within its circuit; the stop's id becomes `<busId>-<key>`. */
	key: string;
}

export interface DemoRule {
	/** Unique within its circuit and stable: service day ids derive from it, so never renumber. */
	key: string;
	stop: string;
	recurrence: Recurrence;
	window: TimeWindow;
}

export interface DemoCircuit {
	/** The bus's ANCT id_fs. */
	anctId: string;
	name: string;
	stops: DemoStop[];
	rules: DemoRule[];
}

/** Rules apply from the start of the 2025 school year; the demo only generates the coming weeks. */
export const DEMO_VALID_FROM: LocalDate = '2025-09-01';

const MON: Weekday = 1;
const TUE: Weekday = 2;
const WED: Weekday = 3;
const THU: Weekday = 4;
const FRI: Weekday = 5;

const at = (start: string, end: string): TimeWindow => ({ start, end });

/** A stop in a commune, parked at `place`. Coordinates: approximate: commune centre. */
function stop(
	key: string,
	insee: string,
	commune: string,
	postalCode: string,
	place: string,
	[latitude, longitude]: [number, number],
	address: string | null = null
): DemoStop {
	return { key, insee, commune, postalCode, place, address, accessNotes: null, latitude, longitude };
}

/** Bus France services du Ruffecois (Emmaüs Ruffec, Charente): even / odd ISO weeks. */
const ruffecois: DemoCircuit = {
	anctId: '2023',
	name: 'Tournée du Ruffécois (semaines paires et impaires)',
	stops: [
		stop('saint-fraigne', '16317', 'Saint-Fraigne', '16140', 'Place de la mairie', [45.955, 0.016]),
		stop('tusson', '16390', 'Tusson', '16140', 'Place de la mairie', [45.935, 0.071]),
		stop('nanteuil', '16242', 'Nanteuil-en-Vallée', '16700', 'Place de la mairie', [46.0, 0.319]),
		stop('valence', '16392', 'Valence', '16460', 'Place de la mairie', [45.891, 0.316]),
		stop('val-de-bonnieure', '16300', 'Val-de-Bonnieure', '16230', 'Place de la mairie', [45.836, 0.276]),
		stop('fouqueure', '16144', 'Fouqueure', '16140', 'Place de la mairie', [45.886, 0.076]),
		stop('foret-de-tesse', '16142', 'La Forêt-de-Tessé', '16240', 'Place de la mairie', [46.075, 0.07]),
		stop('charme', '16083', 'Charmé', '16140', 'Place de la mairie', [45.967, 0.11]),
		stop('saint-amant', '16295', 'Saint-Amant-de-Boixe', '16330', "Place de l'abbaye", [45.797, 0.134]),
		stop('verdille', '16397', 'Verdille', '16140', 'Place de la mairie', [45.866, -0.036]),
		stop('luxe', '16196', 'Luxé', '16230', 'Place de la mairie', [45.889, 0.108]),
		stop('verteuil', '16400', 'Verteuil-sur-Charente', '16510', 'Place de la mairie', [45.982, 0.229])
	],
	rules: [
		odd('odd-mon', 'saint-fraigne', MON, at('09:30', '15:30')),
		odd('odd-tue', 'tusson', TUE, at('09:00', '15:30')),
		odd('odd-wed', 'nanteuil', WED, at('09:00', '15:30')),
		odd('odd-thu', 'valence', THU, at('09:30', '12:30')),
		odd('odd-fri-am', 'val-de-bonnieure', FRI, at('08:45', '12:15')),
		odd('odd-fri-pm', 'fouqueure', FRI, at('13:30', '16:30')),
		even('even-tue-am', 'foret-de-tesse', TUE, at('09:00', '12:00')),
		even('even-tue-pm', 'charme', TUE, at('13:30', '16:30')),
		even('even-wed', 'saint-amant', WED, at('09:30', '15:30')),
		even('even-thu-am', 'verdille', THU, at('08:45', '12:15')),
		even('even-thu-pm', 'luxe', THU, at('13:30', '16:30')),
		even('even-fri', 'verteuil', FRI, at('09:00', '12:00'))
	]
};

function odd(key: string, stopKey: string, weekday: Weekday, window: TimeWindow): DemoRule {
	return {
		key,
		stop: stopKey,
		recurrence: { kind: 'isoWeekParity', parity: 'odd', weekdays: [weekday] },
		window
	};
}
function even(key: string, stopKey: string, weekday: Weekday, window: TimeWindow): DemoRule {
	return {
		key,
		stop: stopKey,
		recurrence: { kind: 'isoWeekParity', parity: 'even', weekdays: [weekday] },
		window
	};
}

/**
 * Bus France services La Rur@linette (Familles rurales, Indre): the nth weekday of each month, one commune
 * a day, with the bus's published hours. Left out: "4e jeudi Avail" (no commune of that name in the
 * Indre), the Friday tour and "dernier jour du mois Ségry" (kept short; no rule kind for a month's last day).
 */
const rurAlinette: DemoCircuit = {
	anctId: '2394',
	name: 'La Rur@linette : une commune par jour, chaque mois',
	stops: [
		stop('vicq-exemplet', '36236', 'Vicq-Exemplet', '36400', 'Place de la mairie', [46.631, 2.139]),
		stop('migne', '36124', 'Migné', '36800', 'Place de la mairie', [46.707, 1.331]),
		stop('pommiers', '36160', 'Pommiers', '36190', 'Place de la mairie', [46.523, 1.638]),
		stop('neuvy-pailloux', '36140', 'Neuvy-Pailloux', '36100', 'Place de la mairie', [46.882, 1.864]),
		stop('saint-aout', '36180', 'Saint-Août', '36120', 'Place de la mairie', [46.71, 1.969]),
		stop('arthon', '36009', 'Arthon', '36330', 'Place de la mairie', [46.695, 1.695]),
		stop('pruniers', '36169', 'Pruniers', '36120', 'Place de la mairie', [46.733, 1.906]),
		stop('pellevoisin', '36155', 'Pellevoisin', '36180', 'Place de la mairie', [46.998, 1.421]),
		stop('argy', '36007', 'Argy', '36500', 'Place de la mairie', [46.94, 1.435]),
		stop('souge', '36218', 'Sougé', '36500', 'Place de la mairie', [46.958, 1.482]),
		stop('rosnay', '36173', 'Rosnay', '36300', 'Place de la mairie', [46.703, 1.213]),
		stop('migny', '36125', 'Migny', '36260', 'Place de la mairie', [47.047, 2.066]),
		stop('chouday', '36052', 'Chouday', '36100', 'Place de la mairie', [46.925, 2.04]),
		stop('saint-georges', '36195', 'Saint-Georges-sur-Arnon', '36100', 'Place de la mairie', [46.998, 2.099])
	],
	rules: [
		...nth('mon', MON, ['vicq-exemplet', 'migne', 'pommiers']),
		...nth('tue', TUE, ['neuvy-pailloux', 'saint-aout', 'arthon', 'pruniers']),
		...nth('wed', WED, ['pellevoisin', 'argy', 'souge', 'rosnay']),
		...nth('thu', THU, ['migny', 'chouday', 'saint-georges'])
	]
};

/** The i-th stop on the (i+1)-th `weekday` of the month, morning and afternoon. */
function nth(day: string, weekday: Weekday, stops: string[]): DemoRule[] {
	return stops.flatMap((stopKey, index) => {
		const recurrence: Recurrence = {
			kind: 'nthWeekdayOfMonth',
			weekday,
			nths: [(index + 1) as 1 | 2 | 3 | 4]
		};
		return [
			{ key: `${day}-${index + 1}-am`, stop: stopKey, recurrence, window: at('10:00', '12:30') },
			{ key: `${day}-${index + 1}-pm`, stop: stopKey, recurrence, window: at('13:30', '16:00') }
		];
	});
}

/** Bus France services de Vouziers (Ardennes): the same commune every week on the same weekday. */
const vouziers: DemoCircuit = {
	anctId: '47',
	name: 'Itinérance du Vouzinois (chaque semaine)',
	stops: [
		stop('monthois', '08303', 'Monthois', '08400', 'Mairie', [49.318, 4.715]),
		stop('machault', '08264', 'Machault', '08310', 'Mairie', [49.355, 4.495]),
		stop('buzancy', '08089', 'Buzancy', '08240', 'Mairie annexe', [49.428, 4.951], 'Rue Charles Coffin'),
		stop('grandpre', '08198', 'Grandpré', '08250', 'Salle des Berceaux', [49.34, 4.87], 'Rue des Berceaux'),
		stop(
			'bairon',
			'08116',
			'Bairon et ses environs',
			'08390',
			'Espace Jean Moreaux',
			[49.517, 4.763],
			'Rue Cadot'
		)
	],
	rules: (
		[
			['mon', MON, 'monthois'],
			['tue', TUE, 'machault'],
			['wed', WED, 'buzancy'],
			['thu', THU, 'grandpre'],
			['fri', FRI, 'bairon']
		] as const
	).flatMap(([day, weekday, stopKey]) => {
		const recurrence: Recurrence = { kind: 'weekly', weekdays: [weekday] };
		return [
			{ key: `${day}-am`, stop: stopKey, recurrence, window: at('09:00', '12:00') },
			{ key: `${day}-pm`, stop: stopKey, recurrence, window: at('13:00', '16:30') }
		];
	})
};

/**
 * Bus France services Grand Sud Caraïbe (Basse-Terre, Guadeloupe). ILLUSTRATIVE: the national list gives
 * no circuit for this bus. It shows an overseas bus (America/Guadeloupe, its own holidays) with a
 * fortnightly rotation and "two days a month" on explicit dates, mornings only as is common there.
 */
function grandSudCaraibe(today: LocalDate): DemoCircuit {
	const fortnight = (anchor: LocalDate, weekdays: Weekday[]): Recurrence => ({
		kind: 'everyNWeeks',
		interval: 2,
		anchor,
		weekdays
	});
	return {
		anctId: '2910',
		name: 'Tournée du Sud Basse-Terre (illustrative)',
		stops: [
			stop('vieux-habitants', '97134', 'Vieux-Habitants', '97119', 'Place de la mairie', [16.059, -61.765]),
			stop('bouillante', '97106', 'Bouillante', '97125', 'Place de la mairie', [16.131, -61.768]),
			stop('trois-rivieres', '97132', 'Trois-Rivières', '97114', 'Place de la mairie', [15.976, -61.645]),
			stop('gourbeyre', '97109', 'Gourbeyre', '97113', 'Place de la mairie', [15.994, -61.691]),
			stop('capesterre', '97107', 'Capesterre-Belle-Eau', '97130', 'Place de la mairie', [16.044, -61.564])
		],
		rules: [
			// Week A (from Monday 5 January 2026) on the Caribbean coast, week B on the south coast.
			{
				key: 'a-mon',
				stop: 'vieux-habitants',
				recurrence: fortnight('2026-01-05', [MON]),
				window: at('08:00', '12:30')
			},
			{
				key: 'a-tue',
				stop: 'bouillante',
				recurrence: fortnight('2026-01-05', [TUE]),
				window: at('08:00', '12:30')
			},
			{
				key: 'b-mon',
				stop: 'trois-rivieres',
				recurrence: fortnight('2026-01-12', [MON]),
				window: at('08:00', '12:30')
			},
			{
				key: 'b-tue',
				stop: 'gourbeyre',
				recurrence: fortnight('2026-01-12', [TUE]),
				window: at('08:00', '12:30')
			},
			{
				key: 'capesterre-dates',
				stop: 'capesterre',
				recurrence: { kind: 'dates', dates: twoDaysAMonth(today, 4) },
				window: at('08:00', '12:30')
			}
		]
	};
}

/**
 * "Two days a month", as operators publish them: around the 10th and the 24th, moved to the next Thursday
 * so the dates look hand-picked. Computed from `today` so the demo never runs out of dates.
 */
function twoDaysAMonth(today: LocalDate, months: number): LocalDate[] {
	const start = parseLocalDate(today);
	if (!start) throw new RangeError(`Not a YYYY-MM-DD date: ${today}`);
	const dates: LocalDate[] = [];
	for (let m = 0; m < months; m++) {
		const year = start.year + Math.floor((start.month - 1 + m) / 12);
		const month = ((start.month - 1 + m) % 12) + 1;
		for (const dayOfMonth of [10, 24]) {
			const candidate = formatLocalDate(year, month, dayOfMonth);
			const thursday = addDays(candidate, (THU - isoWeekday(candidate) + 7) % 7);
			if (thursday >= today) dates.push(thursday);
		}
	}
	return dates;
}

/** The demo circuits as of `today` (only the Guadeloupe dates depend on it). */
export function listDemoCircuits(today: LocalDate): DemoCircuit[] {
	return [ruffecois, rurAlinette, vouziers, grandSudCaraibe(today)];
}
