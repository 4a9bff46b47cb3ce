import { describe, expect, it } from 'vitest';
import { makeReferral, TO_REFERENT } from '$factories/referral';
import { currentReference } from './reference';
import { parseReferral } from './referral';

const CONSENT = { given: true, recordedAt: '2026-03-10T08:40:00.000Z' };

function validReferral(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		...makeReferral({
			id: '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b',
			visitId: '5b0f2c1e-8a4d-4e6b-9c3a-1f2e3d4c5b6a',
			busId: 'fs-36',
			...TO_REFERENT
		}),
		...overrides
	};
}

function rejectedPaths(input: unknown): string[] {
	const result = parseReferral(input);
	if (result.ok) throw new Error('expected the referral to be rejected');
	return result.issues.map((issue) => issue.path);
}

describe('parseReferral accepts', () => {
	it('a referral without consent and without contact', () => {
		expect(parseReferral(validReferral())).toEqual({ ok: true, value: validReferral() });
	});

	it('a contact with recorded consent, the phone normalised and the e-mail lowercased', () => {
		const result = parseReferral(
			validReferral({
				mode: 'callbackRequested',
				consent: CONSENT,
				contact: { phone: '+33 6 12 34 56 78', email: ' Jeanne@Example.FR ', callbackSlot: 'morning' }
			})
		);
		expect(result.ok && result.value.contact).toEqual({
			phone: '0612345678',
			email: 'jeanne@example.fr',
			callbackSlot: 'morning'
		});
	});

	it('a history that skips steps forward and ends in the current status', () => {
		const history = [
			{ status: 'open', at: '2026-03-10T08:41:00.000Z' },
			{ status: 'acknowledged', at: '2026-03-12T10:00:00.000Z' },
			{ status: 'closed', at: '2026-03-20T10:00:00.000Z' }
		];
		expect(parseReferral(validReferral({ status: 'closed', history })).ok).toBe(true);
	});
});

describe('parseReferral rejects, naming the field', () => {
	it('a contact without recorded consent', () => {
		expect(parseReferral(validReferral({ contact: { phone: '0612345678' } }))).toEqual({
			ok: false,
			issues: [
				{ path: 'contact', message: 'Coordonnées interdites sans le consentement enregistré de la personne' }
			]
		});
	});

	it('a consent that is not given', () => {
		expect(
			rejectedPaths(validReferral({ consent: { given: false, recordedAt: CONSENT.recordedAt } }))
		).toEqual(['consent.given']);
	});

	it('a call-back by the partner without a contact, while the referral is still followed', () => {
		expect(rejectedPaths(validReferral({ mode: 'callbackRequested' }))).toEqual(['contact']);
		// Closed, its contact has been purged (retention): the record stays valid without it.
		const closed = validReferral({
			mode: 'callbackRequested',
			consent: CONSENT,
			status: 'closed',
			history: [
				{ status: 'open', at: '2026-03-10T08:41:00.000Z' },
				{ status: 'closed', at: '2026-03-12T10:00:00.000Z' }
			]
		});
		expect(parseReferral(closed).ok).toBe(true);
	});

	it('a contact with neither phone nor e-mail, or with a name in it', () => {
		expect(rejectedPaths(validReferral({ consent: CONSENT, contact: { callbackSlot: 'morning' } }))).toEqual([
			'contact'
		]);
		expect(
			rejectedPaths(
				validReferral({ consent: CONSENT, contact: { phone: '0612345678', name: 'Jeanne Martin' } })
			)
		).toEqual(['contact']);
	});

	it('a phone number that is not French, not complete or a special-rate number', () => {
		for (const phone of ['+44 20 7946 0958', '07 98 76 54', '08 00 12 34 56', 'Jeanne']) {
			const result = parseReferral(validReferral({ consent: CONSENT, contact: { phone } }));
			expect(result.ok, phone).toBe(false);
			if (result.ok) continue;
			expect(result.issues.map((issue) => issue.path)).toEqual(['contact.phone']);
			expect(JSON.stringify(result.issues)).not.toContain(phone);
		}
	});

	it('an extra free-text key such as a note', () => {
		expect(rejectedPaths(validReferral({ note: 'rappeler après 17 h' }))).toEqual(['']);
	});

	it('a name, a phone number or an e-mail in place of its bus id', () => {
		for (const busId of ['Dupont', '0612345678', 'jean.dupont@mail.fr']) {
			expect(rejectedPaths(validReferral({ busId })), busId).toEqual(['busId']);
		}
	});

	it('a target, mode or reason outside their lists', () => {
		expect(rejectedPaths(validReferral({ target: 'Mme Durand à la CAF' }))).toEqual(['target']);
		expect(rejectedPaths(validReferral({ mode: 'fax' }))).toEqual(['mode']);
		expect(rejectedPaths(validReferral({ reason: 'dossier perdu' }))).toEqual(['reason']);
	});

	it('a partner code that the reference version does not know', () => {
		expect(parseReferral(validReferral({ partner: 'ANTS' }))).toEqual({
			ok: false,
			issues: [{ path: 'partner', message: `Partenaire inconnu du référentiel ${currentReference.version}` }]
		});
	});

	it('a history going backwards, not starting at open, or not ending in the status', () => {
		const backwards = [
			{ status: 'open', at: '2026-03-10T08:41:00.000Z' },
			{ status: 'acknowledged', at: '2026-03-11T08:41:00.000Z' },
			{ status: 'transmitted', at: '2026-03-12T08:41:00.000Z' }
		];
		expect(rejectedPaths(validReferral({ status: 'transmitted', history: backwards }))).toEqual(['history']);
		const lateStart = [{ status: 'transmitted', at: '2026-03-10T08:41:00.000Z' }];
		expect(rejectedPaths(validReferral({ status: 'transmitted', history: lateStart }))).toEqual(['history']);
		expect(rejectedPaths(validReferral({ status: 'resolved' }))).toEqual(['status']);
		expect(rejectedPaths(validReferral({ history: [] }))).toEqual(['history']);
	});

	it('a due date that does not exist', () => {
		expect(rejectedPaths(validReferral({ dueDate: '2027-02-29' }))).toEqual(['dueDate']);
	});
});
