/**
 * The check-in form's memory: the last choices (channel, partner, theme, outcome...) so the common case
 * takes one tap; the form marks the last partner and theme where they stand, never moves them (the tiles keep
 * the reference's order, so the crew's hand learns where each partner is: issue 11, item 5). Only codes from
 * closed lists are kept, never anything about a person.
 *
 * What is stored may come from an older version of the app (a partner since removed, a renamed field):
 * reading checks each value on its own and falls back to the default for any that does not check,
 * so a stale value never breaks the form.
 */
import * as v from 'valibot';
import { currentReference, findPartner, findTheme } from '$lib/domain/reference';
import { parseWith } from '$lib/domain/validation';
import {
	AGE_BANDS,
	REQUEST_OUTCOMES,
	VISIT_CHANNELS,
	type AgeBand,
	type RequestOutcome,
	type VisitChannel
} from '$lib/domain/visit';
import { InvalidRecordError, withStorageErrors } from './errors';
import type { EscaleDb } from './schema';

const KEY = 'checkIn.defaults';

export interface CheckInDefaults {
	channel: VisitChannel;
	partner: string | null;
	theme: string | null;
	outcome: RequestOutcome;
	onlineProcedure: boolean;
	ageBand: AgeBand | null;
}

export const DEFAULT_CHECK_IN: Readonly<CheckInDefaults> = Object.freeze({
	channel: 'walkIn',
	partner: null,
	theme: null,
	outcome: 'resolved',
	onlineProcedure: false,
	ageBand: null
});

/** A partner code of the current reference data (the form offers only those). */
const KnownPartnerSchema = v.pipe(
	v.string('Code partenaire attendu'),
	v.check(
		(code) => findPartner(currentReference, code) !== undefined,
		`Partenaire inconnu du référentiel ${currentReference.version}`
	)
);
const KnownThemeSchema = v.pipe(
	v.string('Code thème attendu'),
	v.check(
		(code) => findTheme(currentReference, code) !== undefined,
		`Thème inconnu du référentiel ${currentReference.version}`
	)
);
const ChannelSchema = v.picklist(VISIT_CHANNELS, `Canal attendu : ${VISIT_CHANNELS.join(', ')}`);
const OutcomeSchema = v.picklist(REQUEST_OUTCOMES, `Issue attendue : ${REQUEST_OUTCOMES.join(', ')}`);
const AgeBandSchema = v.nullable(v.picklist(AGE_BANDS, `Tranche d'âge attendue : ${AGE_BANDS.join(', ')}`));
const OnlineSchema = v.boolean('Oui ou non attendu (booléen)');

export const CheckInChoicesSchema = v.strictObject({
	channel: ChannelSchema,
	partner: KnownPartnerSchema,
	theme: KnownThemeSchema,
	outcome: v.optional(OutcomeSchema),
	onlineProcedure: v.optional(OnlineSchema),
	ageBand: v.optional(AgeBandSchema)
});
export type CheckInChoices = v.InferOutput<typeof CheckInChoicesSchema>;

const RECORD = 'checkInChoices' satisfies InvalidRecordError['record'];

/** `value` if it checks against `schema`, else `fallback`. */
function valid<T>(schema: v.GenericSchema<unknown, T>, value: unknown, fallback: T): T {
	const parsed = v.safeParse(schema, value);
	return parsed.success ? parsed.output : fallback;
}

function readStored(value: unknown): CheckInDefaults {
	const stored: Record<string, unknown> =
		typeof value === 'object' && value !== null && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: {};
	return {
		channel: valid(ChannelSchema, stored.channel, DEFAULT_CHECK_IN.channel),
		partner: valid(v.nullable(KnownPartnerSchema), stored.partner, null),
		theme: valid(v.nullable(KnownThemeSchema), stored.theme, null),
		outcome: valid(OutcomeSchema, stored.outcome, DEFAULT_CHECK_IN.outcome),
		onlineProcedure: valid(OnlineSchema, stored.onlineProcedure, DEFAULT_CHECK_IN.onlineProcedure),
		// An older version also kept recent partners and themes to put them first: ignored, the order is fixed.
		ageBand: valid(AgeBandSchema, stored.ageBand, null)
	};
}

/** The form's starting choices. Never throws on stored data: what does not check is replaced by defaults. */
export async function readCheckInDefaults(db: EscaleDb): Promise<CheckInDefaults> {
	const row = await db.meta.get(KEY);
	return readStored(row?.value);
}

/**
 * Remembers the choices of a check-in just recorded (validated: InvalidRecordError naming the field when
 * one is not from its list). Optional fields left out keep their default. Returns the new defaults.
 */
export async function rememberCheckInChoices(
	db: EscaleDb,
	choices: CheckInChoices
): Promise<CheckInDefaults> {
	const parsed = parseWith(CheckInChoicesSchema, choices);
	if (!parsed.ok) throw new InvalidRecordError(RECORD, parsed.issues);
	const chosen = parsed.value;
	return withStorageErrors(async () => {
		const next: CheckInDefaults = {
			channel: chosen.channel,
			partner: chosen.partner,
			theme: chosen.theme,
			outcome: chosen.outcome ?? DEFAULT_CHECK_IN.outcome,
			onlineProcedure: chosen.onlineProcedure ?? DEFAULT_CHECK_IN.onlineProcedure,
			ageBand: chosen.ageBand ?? null
		};
		await db.meta.put({ key: KEY, value: next });
		return next;
	});
}
