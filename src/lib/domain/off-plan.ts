/**
 * Off-plan stops ("arrêt hors circuit"): a crew stops where its circuit did not plan it, and opens the service
 * day itself, offline, on the day. Both ends apply the same rules: the tablet before it stores the day, the
 * server before it accepts the `serviceDay.open` mutation (src/lib/server/sync/apply.ts).
 */
import * as v from 'valibot';
import { addDays, compareDates, compareTimes, localDateIn, type LocalDate } from './calendar';
import type { Stop } from './schedule';
import { InseeCodeSchema } from './visit';
import {
	BusIdSchema,
	InstantSchema,
	LocalDateSchema,
	LocalTimeSchema,
	ServiceDayIdSchema
} from './validation';

/** The place in words, as a stop's `place`: "Parking de la mairie". */
export const OFF_PLAN_PLACE_MAX = 60;

/**
 * Letters, digits, spaces and the punctuation of place names; no `@` (an e-mail), no run of 5 digits (a phone
 * number, a NIR, a file number). A place, never a person: the crew types where the bus stands.
 */
export const OffPlanPlaceSchema = v.pipe(
	v.string('Lieu attendu'),
	v.trim(),
	v.minLength(3, 'Lieu : 3 caractères au moins (ex. Parking de la mairie)'),
	v.maxLength(OFF_PLAN_PLACE_MAX, `Lieu : ${OFF_PLAN_PLACE_MAX} caractères au plus`),
	v.regex(/^[\p{L}0-9][\p{L}0-9 '’,.()/-]*$/u, 'Lieu : lettres, chiffres et ponctuation simple seulement'),
	v.check(
		(value: string) => !/\d{5}/.test(value.replace(/[ .-]/g, '')),
		'Lieu : pas de numéro de téléphone ni de dossier'
	)
);

/** The `serviceDay.open` payload: an off-plan service day, opened by the crew on the day. */
export const ServiceDayOpenSchema = v.pipe(
	v.strictObject({
		serviceDayId: ServiceDayIdSchema,
		busId: BusIdSchema,
		date: LocalDateSchema,
		start: LocalTimeSchema,
		end: LocalTimeSchema,
		insee: InseeCodeSchema,
		place: OffPlanPlaceSchema,
		/** Device clock when the crew opened it. */
		at: InstantSchema
	}),
	v.forward(
		v.check((open) => compareTimes(open.start, open.end) < 0, 'Heure de fin : après l’heure de début'),
		['end']
	),
	v.forward(
		v.check(
			(open) => open.serviceDayId.startsWith(`${open.busId}-hc-`),
			'Passage hors circuit attendu (<bus>-hc-<UUID>@date)'
		),
		['serviceDayId']
	),
	v.forward(
		v.check(
			(open) => open.serviceDayId.endsWith(`@${open.date}`),
			'Identifiant de passage : sa date est celle du passage'
		),
		['serviceDayId']
	)
);
export type ServiceDayOpen = v.InferOutput<typeof ServiceDayOpenSchema>;

/** The id of an off-plan day and of the stop opened with it, from one UUID made on the tablet. */
export function offPlanIds(
	busId: string,
	uuid: string,
	date: LocalDate
): { serviceDayId: string; stopId: string } {
	return { serviceDayId: `${busId}-hc-${uuid}@${date}`, stopId: `${busId}-hc-${uuid}` };
}

/** The stop id an off-plan day gets when no stop of the bus matches: its day id without the date. */
export function offPlanStopIdOf(serviceDayId: string): string {
	return serviceDayId.slice(0, serviceDayId.lastIndexOf('@'));
}

/**
 * Whether an off-plan day may be opened on `date`, opened at `openedAt` (device clock) and received at
 * `receivedAt` (server clock), in the bus's zone. The crew opens today's only; one day either side of the
 * device's own today is allowed for a clock that drifted over midnight, and never a day after the server's
 * tomorrow. A tablet that syncs days later is still accepted: the day is checked against when it was opened.
 */
export function isOffPlanDateAllowed(
	date: LocalDate,
	openedAt: Date,
	receivedAt: Date,
	timeZone: string
): boolean {
	const openedOn = localDateIn(openedAt, timeZone);
	const serverToday = localDateIn(receivedAt, timeZone);
	return (
		compareDates(date, addDays(openedOn, -1)) >= 0 &&
		compareDates(date, addDays(openedOn, 1)) <= 0 &&
		compareDates(date, addDays(serverToday, 1)) <= 0
	);
}

/** Two places are the same stop when their words are (case, accents and spaces aside). */
export function samePlace(a: string, b: string): boolean {
	const fold = (text: string) =>
		text
			.normalize('NFD')
			.replace(/\p{Diacritic}/gu, '')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, ' ')
			.trim();
	return fold(a) === fold(b);
}

/**
 * The stop an off-plan day goes to, on the tablet and on the server alike: the bus's stop with the same place in
 * that commune (`existing`), else a new off-plan stop under `newStopId`. The official list has no coordinates:
 * the new stop takes another stop of the bus in the commune's, else the bus's home.
 */
export function offPlanStopFor(
	open: Pick<ServiceDayOpen, 'busId' | 'place'>,
	commune: { insee: string; name: string; postalCodes: readonly string[] },
	busStops: readonly Stop[],
	home: { latitude: number; longitude: number },
	newStopId: string
): { stop: Stop; existing: boolean } {
	const inCommune = busStops.filter((stop) => stop.insee === commune.insee);
	const same = inCommune.find((stop) => samePlace(stop.place, open.place));
	if (same) return { stop: same, existing: true };
	const near = inCommune[0] ?? home;
	return {
		existing: false,
		stop: {
			id: newStopId,
			busId: open.busId,
			insee: commune.insee,
			commune: commune.name,
			postalCode: commune.postalCodes[0] ?? '',
			place: open.place,
			address: null,
			accessNotes: null,
			latitude: near.latitude,
			longitude: near.longitude,
			offPlan: true
		}
	};
}

/**
 * The window the form proposes: from now (the half hour begun, in the bus's zone) for two hours, ending
 * at 23:59 at the latest. The crew changes it as it likes.
 */
export function proposedOffPlanWindow(now: Date, timeZone: string): { start: string; end: string } {
	// Intl rather than TZDate's getters: under a browser's replaced clock (tests) these read the device's zone.
	const parts = new Intl.DateTimeFormat('en-GB', {
		timeZone,
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	}).formatToParts(now);
	const part = (type: 'hour' | 'minute') => Number(parts.find((p) => p.type === type)?.value ?? 0);
	const startMinutes = part('hour') * 60 + (part('minute') < 30 ? 0 : 30);
	const endMinutes = Math.min(startMinutes + 120, 23 * 60 + 59);
	const hhmm = (minutes: number) =>
		`${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
	return { start: hhmm(Math.min(startMinutes, 23 * 60 + 30)), end: hhmm(endMinutes) };
}
