/**
 * The one shape of a refused form action, and the one way a page reads it. Every action of the app answers a
 * refusal with `fail(status, { error, values? })` (built by $lib/server/http/form.ts): `error.code` says what
 * went wrong for machines and tests, `error.field` names the field to mark `aria-invalid` (none when the refusal
 * is about the whole form), `error.message` is the sentence shown, already in the reader's language, and
 * `values` sends back what the person typed (never a password) so the field keeps it.
 */
export interface FormError {
	code: string;
	field?: string;
	message: string;
}

export interface FormFailure {
	error: FormError;
	values?: Record<string, string>;
}

function isFormFailure(form: unknown): form is FormFailure {
	if (typeof form !== 'object' || form === null || !('error' in form)) return false;
	const { error } = form as { error: unknown };
	return typeof error === 'object' && error !== null && typeof (error as FormError).message === 'string';
}

/**
 * The refusal a page's `form` prop carries, or null. With `fields`, only a refusal about one of them (a page
 * with several forms shows each form's refusal beside it); a refusal about the whole form has no field.
 */
export function formError(form: unknown, fields?: readonly string[]): FormError | null {
	if (!isFormFailure(form)) return null;
	if (fields && !(form.error.field !== undefined && fields.includes(form.error.field))) return null;
	return form.error;
}

/** A value the action sent back (what was typed), or the empty string. */
export function formValue(form: unknown, name: string): string {
	return isFormFailure(form) ? (form.values?.[name] ?? '') : '';
}
