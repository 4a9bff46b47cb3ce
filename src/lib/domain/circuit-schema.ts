/**
 * The valibot schema of a circuit, for the coordinators' forms and the server's edge, and
 * `validateCircuit`, which says in French what is wrong and where.
 */
import * as v from 'valibot';
import { compareDates, isLocalDate, isLocalTime, type Weekday } from './calendar';
import type { Circuit } from './schedule';
import { IdSchema, LocalDateSchema, LocalTimeSchema, parseWith, type Issue } from './validation';

const WEEKDAYS: Weekday[] = [1, 2, 3, 4, 5, 6, 7];

const WeekdaySchema = v.picklist(WEEKDAYS, 'Jour de semaine attendu : 1 (lundi) à 7 (dimanche)');

function hasNoDuplicate<T>(values: T[]): boolean {
	return new Set(values).size === values.length;
}

const WeekdaysSchema = v.pipe(
	v.array(WeekdaySchema),
	v.minLength(1, 'Choisir au moins un jour de la semaine'),
	v.check((days) => hasNoDuplicate(days), 'Un jour de la semaine est en double')
);

const RecurrenceSchema = v.variant(
	'kind',
	[
		v.strictObject({ kind: v.literal('weekly'), weekdays: WeekdaysSchema }),
		v.strictObject({
			kind: v.literal('isoWeekParity'),
			parity: v.picklist(['even', 'odd'], 'Parité attendue : even (paires) ou odd (impaires)'),
			weekdays: WeekdaysSchema
		}),
		v.strictObject({
			kind: v.literal('nthWeekdayOfMonth'),
			weekday: WeekdaySchema,
			nths: v.pipe(
				v.array(v.picklist([1, 2, 3, 4, 5, -1], 'Rang attendu : 1 à 5, ou -1 pour le dernier')),
				v.minLength(1, 'Choisir au moins un rang (1er, 2e… ou dernier)'),
				v.check((nths) => hasNoDuplicate(nths), 'Un rang est en double')
			)
		}),
		v.strictObject({
			kind: v.literal('everyNWeeks'),
			interval: v.pipe(
				v.number('Nombre de semaines attendu'),
				v.integer('Nombre entier de semaines attendu'),
				v.minValue(1, "L'intervalle doit être d'au moins 1 semaine"),
				v.maxValue(52, "L'intervalle ne peut dépasser 52 semaines")
			),
			anchor: LocalDateSchema,
			weekdays: WeekdaysSchema
		}),
		v.strictObject({
			kind: v.literal('dates'),
			dates: v.pipe(v.array(LocalDateSchema), v.minLength(1, 'Donner au moins une date'))
		})
	],
	'Type de récurrence inconnu'
);

const TimeWindowSchema = v.pipe(
	v.strictObject({ start: LocalTimeSchema, end: LocalTimeSchema }),
	v.forward(
		v.partialCheck(
			[['start'], ['end']],
			// Malformed times are reported on their own field (see isOrdered below).
			(w) => !isLocalTime(w.start) || !isLocalTime(w.end) || w.end > w.start,
			"L'heure de fin doit être après l'heure de début"
		),
		['end']
	)
);

/**
 * Cross-field checks. Valibot runs them even when a field failed its own check (a failed validation keeps
 * the value typed), so each one passes on malformed values, which are reported on their own field.
 */
function isOrdered(earlier: string, later: string): boolean {
	return !isLocalDate(earlier) || !isLocalDate(later) || compareDates(earlier, later) <= 0;
}

const isWithinValidity = (date: string, from: string, until: string | null) =>
	isOrdered(from, date) && (until === null || isOrdered(date, until));

const CircuitRuleSchema = v.pipe(
	v.strictObject({
		// No `@`: it separates the rule id from the date in service day ids.
		id: v.pipe(
			IdSchema,
			v.check((id) => !id.includes('@'), "L'identifiant de règle ne peut contenir @")
		),
		stopId: IdSchema,
		recurrence: RecurrenceSchema,
		window: TimeWindowSchema,
		validFrom: LocalDateSchema,
		validUntil: v.nullable(LocalDateSchema),
		exceptDates: v.array(LocalDateSchema)
	}),
	v.forward(
		v.partialCheck(
			[['validFrom'], ['validUntil']],
			(rule) => rule.validUntil === null || isOrdered(rule.validFrom, rule.validUntil),
			'La fin de validité doit être le même jour ou après le début'
		),
		['validUntil']
	),
	v.forward(
		v.partialCheck(
			[['recurrence'], ['validFrom'], ['validUntil']],
			(rule) =>
				rule.recurrence.kind !== 'dates' ||
				rule.recurrence.dates.every((date) => isWithinValidity(date, rule.validFrom, rule.validUntil)),
			'Une date de la liste est hors de la période de validité'
		),
		['recurrence']
	)
);

export const CircuitSchema = v.pipe(
	v.strictObject({
		id: IdSchema,
		busId: IdSchema,
		name: v.pipe(
			v.string(),
			v.trim(),
			v.minLength(1, 'Donner un nom au circuit'),
			v.maxLength(120, 'Nom du circuit trop long (120 caractères au plus)')
		),
		rules: v.array(CircuitRuleSchema)
	}),
	v.forward(
		v.partialCheck(
			[['rules', '$', 'id']],
			(circuit) => hasNoDuplicate(circuit.rules.map((rule) => rule.id)),
			'Deux règles ont le même identifiant'
		),
		['rules']
	)
);

// The schema must describe exactly the model's type: this line stops compiling if they drift apart.
const _schemaMatchesModel: [v.InferOutput<typeof CircuitSchema>, Circuit] extends [
	Circuit,
	v.InferOutput<typeof CircuitSchema>
]
	? true
	: never = true;

/** The problems of a circuit, in French with the path of each field; empty when it is valid. */
export function validateCircuit(circuit: Circuit): Issue[] {
	const result = parseWith(CircuitSchema, circuit);
	return result.ok ? [] : result.issues;
}
