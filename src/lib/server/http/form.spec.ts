import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { formError, formValue } from '$lib/i18n/form-feedback';
import { parseForm, refuse } from './form';

const Schema = v.object({
	email: v.pipe(v.string(), v.trim(), v.minLength(3)),
	confirm: v.literal('on')
});
const messages = { email: () => 'Adresse invalide', confirm: () => 'Cochez la case' };

function body(fields: Record<string, string>): FormData {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.set(name, value);
	return form;
}

describe('parseForm', () => {
	it('gives the typed output of a valid form, ignoring fields the schema does not name', () => {
		const parsed = parseForm(body({ email: '  a@b.fr ', confirm: 'on', extra: 'x' }), Schema, { messages });
		expect(parsed).toEqual({ ok: true, data: { email: 'a@b.fr', confirm: 'on' } });
	});

	it('refuses with 400 and the one payload shape, naming the first field that failed', () => {
		const parsed = parseForm(body({ email: 'x', confirm: 'on' }), Schema, { messages });
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.failure.status).toBe(400);
		expect(parsed.failure.data).toEqual({
			error: { code: 'invalid', field: 'email', message: 'Adresse invalide' }
		});
	});

	it('counts a missing field as invalid and names it', () => {
		const parsed = parseForm(body({ email: 'a@b.fr' }), Schema, { messages });
		expect(parsed.ok ? null : parsed.failure.data.error).toEqual({
			code: 'invalid',
			field: 'confirm',
			message: 'Cochez la case'
		});
	});

	it('sends back the values it is given, so the fields keep what was typed', () => {
		const parsed = parseForm(body({ email: '' }), Schema, { messages, values: { email: '' } });
		expect(parsed.ok ? null : parsed.failure.data).toEqual({
			error: { code: 'invalid', field: 'email', message: 'Adresse invalide' },
			values: { email: '' }
		});
	});
});

describe('refuse and the page side', () => {
	it('builds the same shape for a later refusal, which formError and formValue read', () => {
		const failure = refuse(404, { code: 'not_found', field: 'id', message: 'Inconnue' }, { email: 'a' });
		expect(failure.status).toBe(404);
		expect(formError(failure.data)).toEqual({ code: 'not_found', field: 'id', message: 'Inconnue' });
		expect(formError(failure.data, ['id'])?.code).toBe('not_found');
		expect(formError(failure.data, ['busId'])).toBeNull();
		expect(formValue(failure.data, 'email')).toBe('a');
	});

	it('reads nothing from a success or an empty form prop', () => {
		expect(formError(null)).toBeNull();
		expect(formError({ moved: 'ok' })).toBeNull();
		expect(formValue(undefined, 'email')).toBe('');
		const whole = refuse(401, { code: 'invalid_credentials', message: 'Non' });
		expect(formError(whole.data, ['email'])).toBeNull();
		expect(formError(whole.data)?.message).toBe('Non');
	});
});
