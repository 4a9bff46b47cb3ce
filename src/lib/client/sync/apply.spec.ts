import { describe, expect, it } from 'vitest';
import { getMeta } from '$lib/client/db/meta';
import { getReferral, recordReferral } from '$lib/client/db/referrals';
import { openTestDb } from '$lib/client/db/testing';
import { makeReferral } from '$factories/referral';
import { makeServiceDay, makeStop } from '$factories/schedule';
import { applyPage } from './apply';

const transmitted = (referral: ReturnType<typeof makeReferral>) => ({
	...referral,
	status: 'transmitted',
	history: [...referral.history, { status: 'transmitted', at: '2026-03-11T09:00:00.000Z' }]
});

describe('applying a pull page', () => {
	it('never overwrites or deletes a record whose local mutation is still pending, yet moves the cursor', async () => {
		const db = openTestDb();
		const local = await recordReferral(db, makeReferral());
		const report = await applyPage(
			db,
			[
				{ seq: 1, entity: 'referral', op: 'put', id: local.id, data: transmitted(local) },
				{ seq: 2, entity: 'referral', op: 'delete', id: local.id }
			],
			'c1.2'
		);
		expect(report).toEqual({ applied: 0, keptLocal: 2, invalid: 0 });
		expect(await getReferral(db, local.id)).toEqual(local);
		expect(await getMeta(db, 'sync.cursor')).toBe('c1.2');
	});

	it('writes records with nothing pending, and skips one that does not validate', async () => {
		const db = openTestDb();
		const referral = makeReferral();
		const report = await applyPage(
			db,
			[
				{ seq: 1, entity: 'referral', op: 'put', id: referral.id, data: transmitted(referral) },
				{ seq: 2, entity: 'stop', op: 'put', id: 'stop-9', data: { id: 'stop-9', commune: 3 } }
			],
			'c1.2'
		);
		expect(report).toEqual({ applied: 1, keptLocal: 0, invalid: 1 });
		expect((await getReferral(db, referral.id))?.status).toBe('transmitted');
	});

	it('writes nothing, not even the cursor, when the transaction fails', async () => {
		const db = openTestDb();
		const referral = makeReferral();
		db.close();
		await expect(
			applyPage(db, [{ seq: 1, entity: 'referral', op: 'put', id: referral.id, data: referral }], 'c1.1')
		).rejects.toThrow();
		await db.open();
		expect(await getMeta(db, 'sync.cursor')).toBeUndefined();
		expect(await getReferral(db, referral.id)).toBeUndefined();
	});
});

describe('applying an off-plan day another tablet opened', () => {
	it('stores the day and its stop marked off-plan, and a planned day without the mark', async () => {
		const db = openTestDb();
		const stop = makeStop({ id: 'fs-1-hc-x', insee: '23096', commune: 'Guéret', offPlan: true });
		const day = {
			...makeServiceDay({ id: 'fs-1-hc-x@2026-03-10', stopId: stop.id, ruleId: null }),
			status: 'held' as const,
			offPlan: true as const
		};
		const planned = makeServiceDay({ id: 'fs-1-mardi@2026-03-17', date: '2026-03-17' });
		const report = await applyPage(
			db,
			[
				{ seq: 1, entity: 'stop', op: 'put', id: stop.id, data: stop },
				{ seq: 2, entity: 'serviceDay', op: 'put', id: day.id, data: day },
				{ seq: 3, entity: 'serviceDay', op: 'put', id: planned.id, data: planned }
			],
			'c1.3'
		);
		expect(report).toEqual({ applied: 3, keptLocal: 0, invalid: 0 });
		expect(await db.stops.get(stop.id)).toEqual(stop);
		expect(await db.serviceDays.get(day.id)).toEqual(day);
		expect(await db.serviceDays.get(planned.id)).not.toHaveProperty('offPlan');
	});
});
