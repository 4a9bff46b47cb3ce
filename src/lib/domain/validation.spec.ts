import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { BusIdSchema, isBusScopedId, isServiceDayId, parseWith, ServiceDayIdSchema } from './validation';

/** What a crew member might type in the wrong field: a surname, phones, e-mails, NIRs. */
const PERSONAL = [
	'Dupont',
	'dupont',
	'0612345678',
	'06-12-34-56-78',
	'+33612345678',
	'jean.dupont@mail.fr',
	'185057800608436',
	'1-85-05-78-006-084-36',
	'2850578006084'
];

describe('the identifiers a tablet sends', () => {
	it('take the ids Escale makes: ANCT bus ids, stops and rules under them, service days of a rule', () => {
		for (const id of ['fs-1', 'fs-2023', 'fs-999999']) expect(v.is(BusIdSchema, id), id).toBe(true);
		for (const id of ['fs-2023-foret-de-tesse', 'fs-3-mon-1-am', 'fs-3-place-du-11-novembre-1918']) {
			expect(isBusScopedId(id), id).toBe(true);
		}
		for (const id of ['fs-2023-foret-de-tesse@2026-03-10', 'fs-3-mon-1-am@2028-02-29']) {
			expect(v.is(ServiceDayIdSchema, id), id).toBe(true);
		}
	});

	it('refuse a name, a phone number, an e-mail or a NIR, alone or inside the shape', () => {
		for (const value of PERSONAL) {
			expect(v.is(BusIdSchema, value), value).toBe(false);
			expect(v.is(BusIdSchema, `fs-${value}`), value).toBe(false);
			expect(v.is(ServiceDayIdSchema, value), value).toBe(false);
			expect(v.is(ServiceDayIdSchema, `${value}@2026-03-10`), value).toBe(false);
		}
		for (const value of PERSONAL.filter((text) => !/^[a-z]+$/.test(text))) {
			expect(v.is(ServiceDayIdSchema, `fs-1-${value}@2026-03-10`), value).toBe(false);
		}
	});

	it('refuse a service day of a date that does not exist, or of a rule without its bus', () => {
		for (const id of [
			'fs-1-marche@2026-02-30',
			'fs-1-marche@2026-3-10',
			'marche@2026-03-10',
			'fs-1@2026-03-10'
		]) {
			expect(isServiceDayId(id), id).toBe(false);
		}
	});
});

describe('issue paths', () => {
	it('leave out a key the schema does not know (the sender chose it: it could be a name)', () => {
		const schema = v.strictObject({ contact: v.strictObject({ phone: v.string() }) });
		const parsed = parseWith(schema, { contact: { phone: '0612345678', 'Jeanne Dupont': 'x' } });
		expect(parsed).toEqual({
			ok: false,
			issues: [{ path: 'contact', message: 'Champ non autorisé : seuls les champs prévus sont acceptés' }]
		});
	});
});
