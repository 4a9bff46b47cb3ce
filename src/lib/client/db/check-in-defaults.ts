/**
 * The check-in form's memory: the last choices (channel, partner, theme, outcome...) so the common case
 * takes one tap, and the partners and themes used lately, most recent first, so the form shows them
 * first. Only codes from closed lists are kept, never anything about a person.
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

/** How many recent partners and themes are kept. */
export const MAX_RECENT = 6;

const KEY = 'checkIn.defaults';

export interface CheckInDefaults {
	channel: VisitChannel;
	partner: string | null;
	theme: string | null;
	outcome: RequestOutcome;
	onlineProcedure: boolean;
	ageBand: AgeBand | null;
	/** Partner codes, most recently used first, without repeats. */
	recentPartners: string[];
	/** Theme codes, most recently used first, without repeats. */
	recentThemes: string[];
}

export const DEFAULT_CHECK_IN: Readonly<CheckInDefaults> = Object.freeze({
	channel: 'walkIn',
	partner: null,
	theme: null,
	outcome: 'resolved',
	onlineProcedure: false,
	ageBand: null,
	recentPartners: [],
	recentThemes: []
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

/** The valid codes of a stored list, without repeats, at most MAX_RECENT. */
function validCodes(schema: v.GenericSchema<unknown, string>, value: unknown): string[] {
	if (!Array.isArray(value)) return [];
	const codes = value.filter((code: unknown): code is string => v.is(schema, code));
	return [...new Set(codes)].slice(0, MAX_RECENT);
}

/** `code` first, then the others in their order, at most MAX_RECENT. */
function pushRecent(list: readonly string[], code: string): string[] {
	return [code, ...list.filter((other) => other !== code)].slice(0, MAX_RECENT);
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
		ageBand: valid(AgeBandSchema, stored.ageBand, null),
		recentPartners: validCodes(KnownPartnerSchema, stored.recentPartners),
		recentThemes: validCodes(KnownThemeSchema, stored.recentThemes)
	};
}

/** The form's starting choices. Never throws on stored data: what does not check is replaced by defaults. */
export async function readCheckInDefaults(db: EscaleDb): Promise<CheckInDefaults> {
	const row = await db.meta.get(KEY);
	return readStored(row?.value);
}

/**
 * Remembers the choices of a check-in just recorded (validated: InvalidRecordError naming the field when
 * one is not from its list) and puts its partner and theme first in the recent lists. Optional fields
 * left out keep their default. Returns the new defaults.
 */
export async function rememberCheckInChoices(
	db: EscaleDb,
	choices: CheckInChoices
): Promise<CheckInDefaults> {
	const parsed = parseWith(CheckInChoicesSchema, choices);
	if (!parsed.ok) throw new InvalidRecordError(RECORD, parsed.issues);
	const chosen = parsed.value;
	// Must stay true: the recent lists are read and written in one transaction, so two quick check-ins
	// never lose one another's partner.
	return withStorageErrors(() =>
		db.transaction('rw', db.meta, async (tx) => {
			const previous = readStored((await tx.meta.get(KEY))?.value);
			const next: CheckInDefaults = {
				channel: chosen.channel,
				partner: chosen.partner,
				theme: chosen.theme,
				outcome: chosen.outcome ?? DEFAULT_CHECK_IN.outcome,
				onlineProcedure: chosen.onlineProcedure ?? DEFAULT_CHECK_IN.onlineProcedure,
				ageBand: chosen.ageBand ?? null,
				recentPartners: pushRecent(previous.recentPartners, chosen.partner),
				recentThemes: pushRecent(previous.recentThemes, chosen.theme)
			};
			await tx.meta.put({ key: KEY, value: next });
			return next;
		})
	);
}
