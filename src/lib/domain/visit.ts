/**
 * A visit: one person's passage at the bus, as an anonymous activity record (docs/domain.md, What is recorded). It
 * holds when, at which service day, the channel and one or more requests (partner, theme, outcome), and optionally
 * a coarse age band, a social status and the INSEE code of the commune of residence.
 *
 * It never holds a name, an address, a phone number, an e-mail, a NIR, a birth date, a file number or free
 * text. The schema enforces it: every object is strict (an extra key such as `name` or `note` is rejected),
 * every value is a boolean, a number, an id or a code from a closed list, so no text can be smuggled in.
 * Visits are append-only: a correction is a new visit whose `correctionOf` names the one it replaces.
 */
import * as v from 'valibot';
import { findPartner, findTheme, referenceVersions, type ReferenceData } from './reference';
import {
	BusIdSchema,
	InstantSchema,
	PartnerCodeSchema,
	ReferenceVersionSchema,
	ServiceDayIdSchema,
	ThemeCodeSchema,
	UuidSchema,
	parseWith,
	type Issue,
	type ParseResult
} from './validation';

export const VISIT_CHANNELS = ['walkIn', 'appointment', 'phone'] as const;
export type VisitChannel = (typeof VISIT_CHANNELS)[number];

export const REQUEST_OUTCOMES = ['resolved', 'toFinishAutonomously', 'mustReturn', 'referred'] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

/** Coarse on purpose: in a village of 400, a birth year would identify someone. */
export const AGE_BANDS = ['under25', 'from25to39', 'from40to54', 'from55to69', 'from70'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const SOCIAL_STATUSES = [
	'employed',
	'selfEmployed',
	'jobSeeker',
	'retired',
	'student',
	'otherInactive'
] as const;
export type SocialStatus = (typeof SOCIAL_STATUSES)[number];

export const MAX_REQUESTS_PER_VISIT = 20;

/**
 * INSEE code of a commune (not a postal code): 2-character département then 3 digits, Corsica as 2A/2B,
 * overseas as 971xx-978xx.
 */
export const InseeCodeSchema = v.pipe(
	v.string(),
	v.regex(
		/^(?:(?:0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5])\d{3}|97[1-8]\d{2})$/,
		'Code INSEE de commune attendu (5 caractères, ex. 36044 ou 2A004)'
	)
);

export const VisitRequestSchema = v.strictObject({
	partner: PartnerCodeSchema,
	theme: ThemeCodeSchema,
	outcome: v.picklist(
		REQUEST_OUTCOMES,
		'Issue attendue : resolved, toFinishAutonomously, mustReturn ou referred'
	),
	/** The request was an online procedure (démarche en ligne). */
	onlineProcedure: v.optional(v.boolean('Oui ou non attendu (booléen)')),
	/** The adviser acted under an Aidants Connect mandate. */
	aidantsConnect: v.optional(v.boolean('Oui ou non attendu (booléen)'))
});

export const VisitSchema = v.pipe(
	v.strictObject({
		/** Made on the device (crypto.randomUUID), so a replayed send never creates a second visit. */
		id: UuidSchema,
		busId: BusIdSchema,
		serviceDayId: ServiceDayIdSchema,
		recordedAt: InstantSchema,
		channel: v.picklist(VISIT_CHANNELS, 'Canal attendu : walkIn, appointment ou phone'),
		/** The reference data version the partner and theme codes belong to. */
		referenceVersion: ReferenceVersionSchema,
		requests: v.pipe(
			v.array(VisitRequestSchema, 'Liste de demandes attendue'),
			v.minLength(1, 'Une visite compte au moins une demande'),
			v.maxLength(MAX_REQUESTS_PER_VISIT, `Une visite compte au plus ${MAX_REQUESTS_PER_VISIT} demandes`)
		),
		durationMinutes: v.optional(
			v.pipe(
				v.number('Durée en minutes attendue'),
				v.integer('Durée en minutes entières attendue'),
				v.minValue(1, "La durée est d'au moins 1 minute"),
				v.maxValue(480, 'La durée est de 480 minutes (8 heures) au plus')
			)
		),
		ageBand: v.optional(v.picklist(AGE_BANDS, `Tranche d'âge attendue : ${AGE_BANDS.join(', ')}`)),
		socialStatus: v.optional(
			v.picklist(SOCIAL_STATUSES, `Situation attendue : ${SOCIAL_STATUSES.join(', ')}`)
		),
		residenceInsee: v.optional(InseeCodeSchema),
		/** Set on a correction: the id of the visit it replaces. */
		correctionOf: v.optional(UuidSchema)
	}),
	v.forward(
		v.partialCheck(
			[['id'], ['correctionOf']],
			(visit) => visit.correctionOf !== visit.id,
			'Une correction ne peut pas se corriger elle-même'
		),
		['correctionOf']
	)
);

export type Visit = v.InferOutput<typeof VisitSchema>;
export type VisitRequest = v.InferOutput<typeof VisitRequestSchema>;

/** The partner and theme codes of a visit that its reference version does not know. */
function checkVisitCodes(visit: Visit, references: readonly ReferenceData[]): Issue[] {
	const reference = references.find((candidate) => candidate.version === visit.referenceVersion);
	if (!reference) return [{ path: 'referenceVersion', message: 'Version de référentiel inconnue' }];
	const issues: Issue[] = [];
	visit.requests.forEach((request, index) => {
		if (!findPartner(reference, request.partner)) {
			issues.push({
				path: `requests.${index}.partner`,
				message: `Partenaire inconnu du référentiel ${reference.version}`
			});
		}
		if (!findTheme(reference, request.theme)) {
			issues.push({
				path: `requests.${index}.theme`,
				message: `Thème inconnu du référentiel ${reference.version}`
			});
		}
	});
	return issues;
}

/**
 * Validates a visit from anywhere (a form, the outbox, a request body): its shape, then its partner and
 * theme codes against the reference version it names, among `references` (all published ones by default).
 */
export function parseVisit(
	input: unknown,
	references: readonly ReferenceData[] = referenceVersions
): ParseResult<Visit> {
	const parsed = parseWith(VisitSchema, input);
	if (!parsed.ok) return parsed;
	const issues = checkVisitCodes(parsed.value, references);
	return issues.length === 0 ? parsed : { ok: false, issues };
}
