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

/** Dotted path of an issue: `requests.0.partner`. */
export function pathOf(issue: AnyIssue): string {
	return (issue.path ?? []).map((item) => String(item.key)).join('.');
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

/**
 * An id made by Escale (`fs-123`, `rule-1@2026-03-10`): letters, digits and `._:@-` only, so no sentence
 * or name can hide in it.
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
