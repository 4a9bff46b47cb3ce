/**
 * What every schema of the model shares: the result shape of `parse*` functions, French messages for
 * valibot's generic issues, and the field schemas used everywhere (dates, instants, ids, codes).
 *
 * Messages never repeat the rejected value: it may be the very personal data we refuse to store (a phone
 * number typed in the wrong field), and issues travel to logs and to the server.
 */
import * as v from 'valibot';
import { isLocalDate, isLocalTime } from './calendar';

/** One problem, with the dotted path of the field (`requests.0.partner`), empty for the whole input. */
export interface Issue {
	path: string;
	message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

type AnyIssue = v.BaseIssue<unknown>;

/** French wording for issues whose schema gave no message of its own. */
export function describeIssueInFrench(issue: AnyIssue): string {
	switch (issue.type) {
		case 'strict_object':
		case 'object':
			if (issue.expected === 'never') return 'Champ non autorisé : seuls les champs prévus sont acceptés';
			if (issue.received === 'undefined') return 'Champ obligatoire manquant';
			return 'Objet attendu';
		case 'string':
			return 'Chaîne de caractères attendue';
		case 'number':
			return 'Nombre attendu';
		case 'boolean':
			return 'Oui ou non attendu (booléen)';
		case 'array':
			return 'Liste attendue';
		case 'picklist':
		case 'variant':
			return `Valeur non prévue ; valeurs possibles : ${issue.expected ?? '?'}`;
		case 'literal':
			return `Valeur attendue : ${issue.expected ?? '?'}`;
		case 'null':
		case 'nullable':
			return 'Valeur attendue ou null';
		case 'integer':
			return 'Nombre entier attendu';
		default:
			return 'Valeur invalide';
	}
}

/**
 * Dotted path of an issue: `requests.0.partner`. A key the schema does not know is left out (the path names
 * the object that holds it): the key was chosen by the sender and could be a name (`{ "Dupont": 1 }`), and
 * paths travel in answers and are stored with refused records.
 */
export function pathOf(issue: AnyIssue): string {
	const items = issue.path ?? [];
	const known = isUnknownKeyIssue(issue) ? items.slice(0, -1) : items;
	return known.map((item) => String(item.key)).join('.');
}

/** valibot reports an unknown key of a strict object as an issue expecting `never`, its path ending at the key. */
function isUnknownKeyIssue(issue: AnyIssue): boolean {
	return (issue.type === 'strict_object' || issue.type === 'object') && issue.expected === 'never';
}

/** Runs a schema with French messages and turns its issues into `{ path, message }`. */
export function parseWith<TSchema extends v.GenericSchema>(
	schema: TSchema,
	input: unknown
): ParseResult<v.InferOutput<TSchema>> {
	const result = v.safeParse(schema, input, { message: describeIssueInFrench });
	if (result.success) return { ok: true, value: result.output };
	return {
		ok: false,
		issues: result.issues.map((issue) => ({ path: pathOf(issue), message: issue.message }))
	};
}

export const LocalDateSchema = v.pipe(
	v.string(),
	v.check((value: string) => isLocalDate(value), 'Date attendue au format AAAA-MM-JJ (une date qui existe)')
);

export const LocalTimeSchema = v.pipe(
	v.string(),
	v.check((value: string) => isLocalTime(value), 'Heure attendue au format HH:MM')
);

// What `Date.prototype.toISOString` writes (UTC, `Z`); milliseconds optional.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

/** An instant written in UTC, as `new Date().toISOString()` does. */
export const InstantSchema = v.pipe(
	v.string(),
	v.check(
		(value: string) =>
			INSTANT.test(value) && isLocalDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value)),
		'Instant attendu au format ISO 8601 en UTC (2026-03-10T08:15:00.000Z)'
	)
);

export const UuidSchema = v.pipe(v.string(), v.uuid('Identifiant UUID attendu'));

/*
 * The ids a tablet sends have one shape each, narrow enough that a name typed in the wrong field, a phone
 * number, an e-mail or a social security number (NIR, 13 or 15 digits) cannot pass for one:
 * - a bus: `fs-<ANCT id>` (`fs-2023`), at most 6 digits;
 * - a stop, a circuit rule or a circuit: `<bus id>-<slug>` (`fs-2023-foret-de-tesse`), the slug in lower-case
 *   letters, digits and single dashes, at most 8 digits in all (room for `place-du-11-novembre-1918`, none
 *   for 10 digits of a phone);
 * - a service day: `<rule id>@<YYYY-MM-DD>` (`fs-2023-mon-am@2026-03-10`), a date that exists; or, for an
 *   off-plan day a tablet opens offline, `<bus id>-hc-<UUID v4, lower case>@<YYYY-MM-DD>`
 *   (`fs-2023-hc-4f0c…@2026-03-10`): the UUID makes it unique without asking the server.
 * A slug can still spell a word, as place names do: what a tablet sends there must also name a record the
 * server knows before it is kept (see the push handler).
 */
const BUS_ID = /^fs-[1-9][0-9]{0,5}$/;
const BUS_SCOPED_ID = /^fs-[1-9][0-9]{0,5}-[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_SLUG_DIGITS = 8;
const MAX_SCOPED_ID_LENGTH = 96;

export function isBusId(value: string): boolean {
	return BUS_ID.test(value);
}

/** A stop, rule or circuit id: `fs-2023-foret-de-tesse`. */
export function isBusScopedId(value: string): boolean {
	if (value.length > MAX_SCOPED_ID_LENGTH || !BUS_SCOPED_ID.test(value)) return false;
	const slug = value.slice(value.indexOf('-', 3) + 1);
	return slug.replace(/[^0-9]/g, '').length <= MAX_SLUG_DIGITS;
}

const OFF_PLAN_SERVICE_DAY_ID =
	/^(fs-[1-9][0-9]{0,5})-hc-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}@(\d{4}-\d{2}-\d{2})$/;

/** An off-plan service day id (`<bus id>-hc-<uuid>@<date>`): its bus id, or null for any other string. */
export function offPlanServiceDayBus(value: string): string | null {
	const match = OFF_PLAN_SERVICE_DAY_ID.exec(value);
	return match && isLocalDate(match[2]) ? (match[1] ?? null) : null;
}

/** A service day id: `<rule id>@<YYYY-MM-DD>`, or an off-plan day's `<bus id>-hc-<uuid>@<YYYY-MM-DD>`. */
export function isServiceDayId(value: string): boolean {
	if (offPlanServiceDayBus(value) !== null) return true;
	const at = value.lastIndexOf('@');
	return at > 0 && isBusScopedId(value.slice(0, at)) && isLocalDate(value.slice(at + 1));
}

export const BusIdSchema = v.pipe(
	v.string('Identifiant de bus attendu'),
	v.check(isBusId, 'Identifiant de bus attendu (fs- et le numéro ANCT, ex. fs-2023)')
);

export const ServiceDayIdSchema = v.pipe(
	v.string('Identifiant de passage attendu'),
	v.check(
		isServiceDayId,
		'Identifiant de passage attendu (<règle>@AAAA-MM-JJ, ex. fs-2023-lundi-am@2026-03-10, ou <bus>-hc-<UUID>@AAAA-MM-JJ hors circuit)'
	)
);

/**
 * An id made by Escale on the server (`fs-123`, `fs-123-lundi-am`): letters, digits and `._:@-` only, so no
 * sentence can hide in it. For the data coordinators and seeding write (circuits); what a tablet sends is
 * checked with the narrower schemas above.
 */
export const IdSchema = v.pipe(
	v.string(),
	v.regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/, 'Identifiant attendu (lettres, chiffres, . _ : @ -)')
);

/** A reference data version: `2026-11`. */
export const ReferenceVersionSchema = v.pipe(
	v.string(),
	v.regex(/^[0-9A-Za-z][0-9A-Za-z.-]{0,31}$/, 'Version de référentiel attendue (2026-11)')
);

/** A partner code: `CAF`, `FRANCE_TRAVAIL`. */
export const PartnerCodeSchema = v.pipe(
	v.string(),
	v.regex(/^[A-Z][A-Z0-9_]{1,31}$/, 'Code partenaire attendu (majuscules, ex. CAF)')
);

/** A theme code: `family`, `papersCitizenship`. */
export const ThemeCodeSchema = v.pipe(
	v.string(),
	v.regex(/^[a-z][a-zA-Z0-9]{1,31}$/, 'Code thème attendu (ex. family)')
);
