/**
 * Reading a form action's body: `parseForm` takes the fields a valibot object schema names from the FormData
 * and gives back either the typed output or the one refusal payload of the app ($lib/i18n/form-feedback):
 * `fail(400, { error: { code: 'invalid', field, message }, values? })`, naming the first field that failed.
 * `refuse` builds the same shape for what the action finds wrong later (unknown id, too many attempts...).
 */
import { fail, type ActionFailure } from '@sveltejs/kit';
import * as v from 'valibot';
import type { FormError, FormFailure } from '$lib/i18n/form-feedback';

export type { FormError, FormFailure };

type ObjectSchema = v.ObjectSchema<v.ObjectEntries, v.ErrorMessage<v.ObjectIssue> | undefined>;

export type ParsedForm<S extends ObjectSchema> =
	{ ok: true; data: v.InferOutput<S> } | { ok: false; failure: ActionFailure<FormFailure> };

export interface ParseFormOptions<S extends ObjectSchema> {
	/** The sentence shown for each field of the schema, in the reader's language. */
	messages: { [K in keyof S['entries']]: () => string };
	/** What is sent back with a refusal so the fields keep it (never a password). */
	values?: Record<string, string>;
}

/** The one refusal payload, with its status. */
export function refuse(status: number, error: FormError, values?: Record<string, string>) {
	return fail(status, values === undefined ? { error } : { error, values });
}

/**
 * The schema's fields read from `form` (a missing field is null, which a string schema refuses) and checked.
 * The first issue names the field; an issue naming none (it cannot happen with an object of these keys) is
 * blamed on the schema's last field.
 */
export function parseForm<S extends ObjectSchema>(
	form: FormData,
	schema: S,
	options: ParseFormOptions<S>
): ParsedForm<S> {
	const keys = Object.keys(schema.entries);
	const input = Object.fromEntries(keys.map((key) => [key, form.get(key)]));
	const parsed = v.safeParse(schema, input);
	if (parsed.success) return { ok: true, data: parsed.output };
	const named = parsed.issues[0].path?.[0]?.key;
	const field = typeof named === 'string' && keys.includes(named) ? named : (keys[keys.length - 1] ?? '');
	const message = (options.messages as Partial<Record<string, () => string>>)[field]?.() ?? '';
	return { ok: false, failure: refuse(400, { code: 'invalid', field, message }, options.values) };
}
