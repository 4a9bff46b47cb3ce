import { describe, expect, it } from 'vitest';
import { makeVisit } from '$factories/visit';
import { currentReference, type ReferenceData } from './reference';
import { parseVisit } from './visit';

const VISIT_ID = '5b0f2c1e-8a4d-4e6b-9c3a-1f2e3d4c5b6a';

function validVisit(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		...makeVisit({ id: VISIT_ID, busId: 'fs-36', serviceDayId: 'fs-36-indre-mardi@2026-03-10' }),
		...overrides
	};
}

/** The paths of the issues of a rejected visit; fails the test if it was accepted. */
function rejectedPaths(input: unknown, references?: ReferenceData[]): string[] {
	const result = parseVisit(input, references);
	if (result.ok) throw new Error('expected the visit to be rejected');
	return result.issues.map((issue) => issue.path);
}

describe('parseVisit accepts', () => {
	it('a minimal walk-in visit', () => {
		const result = parseVisit(validVisit());
		expect(result).toEqual({ ok: true, value: validVisit() });
	});

	it('a full visit with every optional field and several requests', () => {
		const visit = validVisit({
			channel: 'appointment',
			requests: [
				{ partner: 'DGFIP', theme: 'moneyTaxes', outcome: 'toFinishAutonomously', onlineProcedure: true },
				{ partner: 'CNAV', theme: 'workTraining', outcome: 'referred', aidantsConnect: true },
				{ partner: 'FRANCE_TITRES', theme: 'papersCitizenship', outcome: 'mustReturn' }
			],
			durationMinutes: 35,
			ageBand: 'from70',
			socialStatus: 'retired',
			residenceInsee: '2A004'
		});
		expect(parseVisit(visit).ok).toBe(true);
	});

	it('a correction, as a new record naming the visit it replaces', () => {
		const correction = validVisit({ id: 'c3d4e5f6-0a1b-4c2d-8e3f-a4b5c6d7e8f9', correctionOf: VISIT_ID });
		expect(parseVisit(correction).ok).toBe(true);
	});

	it('INSEE codes of mainland, Corsican and overseas communes', () => {
		for (const insee of ['36044', '01001', '2B033', '97302', '97411', '97611']) {
			expect(parseVisit(validVisit({ residenceInsee: insee })).ok, insee).toBe(true);
		}
	});
});

describe('parseVisit rejects, naming the field', () => {
	it('an extra name key, as a field that is not allowed, without naming the key (it could be a name)', () => {
		const result = parseVisit(validVisit({ Martin: 'Jeanne' }));
		expect(result).toEqual({
			ok: false,
			issues: [{ path: '', message: 'Champ non autorisé : seuls les champs prévus sont acceptés' }]
		});
	});

	it('a phone number, an e-mail or a note anywhere in a visit, the path ending at the object holding it', () => {
		expect(rejectedPaths(validVisit({ phone: '06 12 34 56 78' }))).toEqual(['']);
		expect(rejectedPaths(validVisit({ email: 'jeanne@example.fr' }))).toEqual(['']);
		expect(
			rejectedPaths(
				validVisit({ requests: [{ partner: 'CAF', theme: 'family', outcome: 'resolved', note: 'x' }] })
			)
		).toEqual(['requests.0']);
	});

	it('a name, a phone number, an e-mail or a NIR in place of its bus or service day id', () => {
		for (const id of ['Dupont', '0612345678', 'jean.dupont@mail.fr', '185057800608436']) {
			expect(rejectedPaths(validVisit({ busId: id })), id).toEqual(['busId']);
			expect(rejectedPaths(validVisit({ serviceDayId: id })), id).toEqual(['serviceDayId']);
			expect(rejectedPaths(validVisit({ serviceDayId: `fs-36-${id}@2026-03-10` })), id).toEqual([
				'serviceDayId'
			]);
		}
	});

	it('text smuggled into a code, without repeating it in the message', () => {
		const result = parseVisit(
			validVisit({ requests: [{ partner: '0612345678', theme: 'Jeanne Martin', outcome: 'resolved' }] })
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.issues.map((issue) => issue.path)).toEqual(['requests.0.partner', 'requests.0.theme']);
		expect(JSON.stringify(result.issues)).not.toMatch(/0612345678|Jeanne/);
	});

	it('a partner or theme code that the reference version does not know', () => {
		const result = parseVisit(
			validVisit({ requests: [{ partner: 'ANTS', theme: 'family', outcome: 'resolved' }] })
		);
		expect(result).toEqual({
			ok: false,
			issues: [
				{
					path: 'requests.0.partner',
					message: `Partenaire inconnu du référentiel ${currentReference.version}`
				}
			]
		});
		expect(
			rejectedPaths(validVisit({ requests: [{ partner: 'CAF', theme: 'sports', outcome: 'resolved' }] }))
		).toEqual(['requests.0.theme']);
	});

	it('codes checked against the version the visit names, not the latest', () => {
		const older: ReferenceData = { ...currentReference, version: '2024-01', partners: [], themes: [] };
		const visit = validVisit({ referenceVersion: '2024-01' });
		expect(rejectedPaths(visit, [older, currentReference])).toEqual([
			'requests.0.partner',
			'requests.0.theme'
		]);
		expect(rejectedPaths(validVisit({ referenceVersion: '2031-01' }))).toEqual(['referenceVersion']);
	});

	it('no request, or more than twenty', () => {
		expect(rejectedPaths(validVisit({ requests: [] }))).toEqual(['requests']);
		const request = { partner: 'CAF', theme: 'family', outcome: 'resolved' };
		expect(rejectedPaths(validVisit({ requests: Array.from({ length: 21 }, () => request) }))).toEqual([
			'requests'
		]);
	});

	it('an outcome, a channel, an age band or a status outside their lists', () => {
		expect(
			rejectedPaths(validVisit({ requests: [{ partner: 'CAF', theme: 'family', outcome: 'done' }] }))
		).toEqual(['requests.0.outcome']);
		expect(rejectedPaths(validVisit({ channel: 'email' }))).toEqual(['channel']);
		expect(rejectedPaths(validVisit({ ageBand: '72' }))).toEqual(['ageBand']);
		expect(rejectedPaths(validVisit({ socialStatus: 'sans emploi depuis 2019' }))).toEqual(['socialStatus']);
	});

	it('a bad INSEE code: a postal code with a space, a Corsican 20, too short, lowercase', () => {
		for (const insee of ['36 044', '20004', '3604', '2a004', '99100', '']) {
			expect(rejectedPaths(validVisit({ residenceInsee: insee })), insee).toEqual(['residenceInsee']);
		}
	});

	it('a duration outside 1 to 480 whole minutes', () => {
		for (const minutes of [0, 481, 12.5, '20']) {
			expect(rejectedPaths(validVisit({ durationMinutes: minutes })), String(minutes)).toEqual([
				'durationMinutes'
			]);
		}
	});

	it('an id made elsewhere than a device, an instant with a local offset, a correction of itself', () => {
		expect(rejectedPaths(validVisit({ id: '42' }))).toEqual(['id']);
		expect(rejectedPaths(validVisit({ recordedAt: '2026-03-10T09:15:00+01:00' }))).toEqual(['recordedAt']);
		expect(rejectedPaths(validVisit({ recordedAt: '2026-02-30T08:15:00Z' }))).toEqual(['recordedAt']);
		expect(rejectedPaths(validVisit({ correctionOf: VISIT_ID }))).toEqual(['correctionOf']);
	});

	it('a missing field, with a French message', () => {
		const { busId: _busId, ...withoutBus } = validVisit();
		expect(parseVisit(withoutBus)).toEqual({
			ok: false,
			issues: [{ path: 'busId', message: 'Champ obligatoire manquant' }]
		});
	});

	it('something that is not an object at all', () => {
		expect(parseVisit('visit')).toEqual({ ok: false, issues: [{ path: '', message: 'Objet attendu' }] });
	});
});
