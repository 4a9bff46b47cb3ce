import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor';
import { splitToken } from './enroll';
import {
	LIMITS,
	PAYLOAD_SCHEMAS,
	PullRequestSchema,
	PushRequestSchema,
	ServiceDayOpenSchema,
	ServiceDayReportSchema,
	VisitWithdrawalSchema,
	expandResults,
	numberedMutations,
	toPushRequest,
	type Mutation
} from './protocol';

const mutation = (mutationId: number) => ({
	mutationId,
	kind: 'serviceDay.report',
	entityId: 'fs-1-marche@2026-03-10',
	schemaVersion: 1,
	createdAt: '2026-03-10T08:15:00.000Z',
	payload: { serviceDayId: 'fs-1-marche@2026-03-10', report: 'held', at: '2026-03-10T08:15:00.000Z' }
});

describe('the push request', () => {
	it('accepts a protocol 1 batch of increasing mutation ids', () => {
		const body = { protocol: 1, mutations: [mutation(1), mutation(2)] };
		expect(v.safeParse(PushRequestSchema, body).success).toBe(true);
	});

	it('reads the same numbered mutations from protocol 1 and from the protocol 2 body the tablet makes', () => {
		const visitId = '0b8f3c1e-2d4a-4f6b-9c8d-7e6f5a4b3c2d';
		const visit: Mutation = {
			mutationId: 8,
			kind: 'visit.create',
			entityId: visitId,
			schemaVersion: 1,
			createdAt: '2026-03-10T08:15:00.000Z',
			payload: { id: visitId, busId: 'fs-1' }
		};
		const batch = [{ ...mutation(7), kind: 'serviceDay.report' as const }, visit];
		const v2 = toPushRequest(batch);
		expect(v2).toEqual({
			protocol: 2,
			firstMutationId: 7,
			mutations: [
				{
					kind: 'serviceDay.report',
					entityId: 'fs-1-marche@2026-03-10',
					schemaVersion: 1,
					payload: batch[0]?.payload
				},
				{ kind: 'visit.create', schemaVersion: 1, payload: visit.payload }
			]
		});
		const parsed2 = v.parse(PushRequestSchema, JSON.parse(JSON.stringify(v2)));
		const parsed1 = v.parse(PushRequestSchema, { protocol: 1, mutations: batch });
		const expected = batch.map(({ createdAt: _, ...rest }) => rest);
		expect(numberedMutations(parsed2)).toEqual(expected);
		expect(numberedMutations(parsed1)).toEqual(expected);
	});

	it('gives a protocol 2 mutation without entityId and without a payload id an empty one, for its kind to reject', () => {
		const body = v.parse(PushRequestSchema, {
			protocol: 2,
			firstMutationId: 1,
			mutations: [{ kind: 'visit.create', schemaVersion: 1, payload: { id: 42 } }]
		});
		expect(numberedMutations(body)[0]?.entityId).toBe('');
	});

	it('refuses a protocol 2 body with ids, a device clock, no first id or an empty batch', () => {
		const wire = { kind: 'visit.create', schemaVersion: 1, payload: {} };
		const bad = [
			{ protocol: 2, firstMutationId: 1, mutations: [{ ...wire, mutationId: 1 }] },
			{ protocol: 2, firstMutationId: 1, mutations: [{ ...wire, createdAt: '2026-03-10T08:15:00.000Z' }] },
			{ protocol: 2, mutations: [wire] },
			{ protocol: 2, firstMutationId: 0, mutations: [wire] },
			{ protocol: 2, firstMutationId: 1, mutations: [] },
			{ protocol: 1, firstMutationId: 1, mutations: [wire] }
		];
		for (const body of bad) expect(v.safeParse(PushRequestSchema, body).success).toBe(false);
	});

	it('is built only from consecutive ids', () => {
		expect(() => toPushRequest([mutation(1), mutation(3)] as Mutation[])).toThrow();
		expect(() => toPushRequest([])).toThrow();
	});

	it('refuses ids that do not increase, an empty batch, a batch over the limit and an extra key', () => {
		const bad = [
			{ protocol: 1, mutations: [mutation(2), mutation(2)] },
			{ protocol: 1, mutations: [] },
			{
				protocol: 1,
				mutations: Array.from({ length: LIMITS.maxMutationsPerPush + 1 }, (_, i) => mutation(i + 1))
			},
			{ protocol: 1, mutations: [mutation(1)], extra: true },
			{ protocol: 2, mutations: [mutation(1)] },
			{ protocol: 3, mutations: [mutation(1)] }
		];
		for (const body of bad) expect(v.safeParse(PushRequestSchema, body).success).toBe(false);
	});
});

describe('the payload schemas', () => {
	it('know every kind at version 1', () => {
		expect(Object.keys(PAYLOAD_SCHEMAS).sort()).toEqual([
			'referral.create',
			'referral.status',
			'serviceDay.open',
			'serviceDay.report',
			'visit.create',
			'visit.withdraw'
		]);
	});

	it('refuse an off-plan opening with a field the schema does not know (a name, a note)', () => {
		const open = {
			serviceDayId: 'fs-1-hc-4f0c2b7e-8d1a-4c3e-9b2f-1a2b3c4d5e6f@2026-03-10',
			busId: 'fs-1',
			date: '2026-03-10',
			start: '10:00',
			end: '12:00',
			insee: '36044',
			place: 'Parking',
			at: '2026-03-10T08:15:00.000Z'
		};
		expect(v.safeParse(ServiceDayOpenSchema, open).success).toBe(true);
		expect(v.safeParse(ServiceDayOpenSchema, { ...open, note: 'Mme X' }).success).toBe(false);
		expect(v.safeParse(ServiceDayOpenSchema, { ...open, busId: 'fs-2' }).success).toBe(false);
		expect(
			v.safeParse(ServiceDayOpenSchema, {
				...open,
				serviceDayId: open.serviceDayId.replace('03-10', '03-11')
			}).success
		).toBe(false);
	});

	it('refuse a service day report with free text', () => {
		const report = { serviceDayId: 'd1', report: 'late', at: '2026-03-10T08:15:00.000Z', note: 'Mme X' };
		expect(v.safeParse(ServiceDayReportSchema, report).success).toBe(false);
	});

	it('take a withdrawal as a visit id and a time only: no reason in words, no other id', () => {
		const withdrawal = { visitId: crypto.randomUUID(), at: '2026-03-10T08:15:00.000Z' };
		expect(v.safeParse(VisitWithdrawalSchema, withdrawal).success).toBe(true);
		for (const bad of [
			{ ...withdrawal, reason: 'erreur de saisie, Mme X' },
			{ ...withdrawal, visitId: 'Dupont' },
			{ visitId: withdrawal.visitId }
		]) {
			expect(v.safeParse(VisitWithdrawalSchema, bad).success).toBe(false);
		}
	});
});

describe('the pull request', () => {
	it('takes a null cursor and bounds the page size', () => {
		expect(v.safeParse(PullRequestSchema, { protocol: 1, cursor: null }).success).toBe(true);
		expect(v.safeParse(PullRequestSchema, { protocol: 1, cursor: null, limit: 1001 }).success).toBe(false);
		expect(v.safeParse(PullRequestSchema, { protocol: 1, cursor: null, limit: 0 }).success).toBe(false);
	});
});

describe('the cursor', () => {
	it('round-trips a sequence number and reads null as the beginning', () => {
		for (const seq of [0, 1, 35, 36, 123456789]) expect(decodeCursor(encodeCursor(seq))).toBe(seq);
		expect(decodeCursor(null)).toBe(0);
	});

	it('is refused when it is not one the server made', () => {
		for (const cursor of ['', '12', 'c1.', 'c1.-1', 'c2.10', 'c1.ZZ', 'c1.zzzzzzzzzzzz']) {
			expect(decodeCursor(cursor)).toBeNull();
		}
		expect(() => encodeCursor(-1)).toThrow(RangeError);
	});
});

describe('the token', () => {
	it('splits into a device id and a 43-character secret', () => {
		const secret = 'A'.repeat(43);
		expect(splitToken(`device-0001.${secret}`)).toEqual({ deviceId: 'device-0001', secret });
		expect(splitToken('device-0001')).toBeNull();
		expect(splitToken(`x.${secret}`)).toBeNull();
	});
});

describe('the results of a push answer', () => {
	it('spells runs out one per id, and refuses a run longer than a range check covers', () => {
		expect(
			expandResults([
				{ mutationId: 3, status: 'duplicate', through: 5 },
				{ mutationId: 6, status: 'rejected', reason: 'not_found' },
				{ mutationId: 7, status: 'duplicate', through: 7 }
			])
		).toEqual([
			{ mutationId: 3, status: 'duplicate' },
			{ mutationId: 4, status: 'duplicate' },
			{ mutationId: 5, status: 'duplicate' },
			{ mutationId: 6, status: 'rejected', reason: 'not_found' },
			{ mutationId: 7, status: 'duplicate' }
		]);
		const run = (through: number) => [{ mutationId: 10, status: 'duplicate' as const, through }];
		expect(expandResults(run(10 + LIMITS.maxMutationsPerRangeCheck - 1))).toHaveLength(
			LIMITS.maxMutationsPerRangeCheck
		);
		expect(expandResults(run(10 + LIMITS.maxMutationsPerRangeCheck))).toBeNull();
		expect(expandResults(run(9))).toBeNull();
		expect(expandResults(run(10.5))).toBeNull();
	});
});
