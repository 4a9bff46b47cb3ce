import { describe, expect, it } from 'vitest';
import { InvalidRecordError, StorageFullError } from './errors';
import { listPending } from './outbox';
import {
	getReferral,
	listReferralsByStatus,
	listReferralsOfVisit,
	moveReferral,
	recordReferral
} from './referrals';
import { failNextWrite, openTestDb } from './testing';
import { makeReferral } from '$factories/referral';

const CONSENTED_CONTACT = {
	consent: { given: true as const, recordedAt: '2026-03-10T08:19:00.000Z' },
	contact: { phone: '0612345678', callbackSlot: 'morning' as const }
};

describe('recordReferral', () => {
	it('writes the referral and its outbox entry together', async () => {
		const db = openTestDb();
		const referral = makeReferral(CONSENTED_CONTACT);
		await recordReferral(db, referral, new Date('2026-03-10T08:20:05.000Z'));

		expect(await getReferral(db, referral.id)).toEqual(referral);
		expect(await listPending(db, 10)).toMatchObject([
			{ mutationId: 1, kind: 'referral.create', entityId: referral.id, payload: referral, status: 'pending' }
		]);
	});

	it('refuses contact details without recorded consent, naming the contact field, and writes nothing', async () => {
		const db = openTestDb();
		const error = await recordReferral(db, makeReferral({ ...CONSENTED_CONTACT, consent: null })).catch(
			(e: unknown) => e
		);

		expect(error).toBeInstanceOf(InvalidRecordError);
		expect((error as InvalidRecordError).issues.map((issue) => issue.path)).toEqual(['contact']);
		expect((error as InvalidRecordError).message).not.toContain('0612345678');
		expect([await db.referrals.count(), await db.outbox.count()]).toEqual([0, 0]);
	});

	it('writes neither row when the disk fills on the outbox write', async () => {
		const db = openTestDb();
		failNextWrite('outbox', 'QuotaExceededError');
		await expect(recordReferral(db, makeReferral())).rejects.toBeInstanceOf(StorageFullError);
		expect([await db.referrals.count(), await db.outbox.count()]).toEqual([0, 0]);
	});
});

describe('referral lists', () => {
	it('lists referrals in the given statuses by due date', async () => {
		const db = openTestDb();
		const later = makeReferral({ dueDate: '2026-03-25' });
		const sooner = makeReferral({ dueDate: '2026-03-15' });
		const closed = makeReferral({
			status: 'closed',
			history: [
				{ status: 'open', at: '2026-03-10T08:20:00.000Z' },
				{ status: 'closed', at: '2026-03-11T08:20:00.000Z' }
			]
		});
		for (const referral of [later, closed, sooner]) await recordReferral(db, referral);

		expect(await listReferralsByStatus(db, ['open', 'transmitted'])).toEqual([sooner, later]);
		expect(await listReferralsByStatus(db, ['closed'])).toEqual([closed]);
	});

	it("lists one visit's referrals", async () => {
		const db = openTestDb();
		const visitId = crypto.randomUUID();
		const mine = makeReferral({ visitId });
		await recordReferral(db, mine);
		await recordReferral(db, makeReferral());
		expect(await listReferralsOfVisit(db, visitId)).toEqual([mine]);
	});
});

describe('moveReferral', () => {
	it('moves the status forward, adds it to the history and queues the move, together', async () => {
		const db = openTestDb();
		const referral = await recordReferral(db, makeReferral());
		const moved = await moveReferral(db, referral.id, 'transmitted', new Date('2026-03-11T09:00:00.000Z'));
		expect(moved.status).toBe('transmitted');
		expect(moved.history.at(-1)).toEqual({ status: 'transmitted', at: '2026-03-11T09:00:00.000Z' });
		expect(await getReferral(db, referral.id)).toEqual(moved);
		expect((await listPending(db, 10)).at(-1)).toMatchObject({
			kind: 'referral.status',
			entityId: referral.id,
			payload: { referralId: referral.id, status: 'transmitted', at: '2026-03-11T09:00:00.000Z' }
		});
	});

	it('refuses to move backwards or out of a final status, and writes nothing', async () => {
		const db = openTestDb();
		const referral = await recordReferral(db, makeReferral());
		await moveReferral(db, referral.id, 'acknowledged');
		await expect(moveReferral(db, referral.id, 'transmitted')).rejects.toBeInstanceOf(InvalidRecordError);
		await expect(moveReferral(db, 'unknown', 'closed')).rejects.toBeInstanceOf(InvalidRecordError);
		expect((await getReferral(db, referral.id))?.status).toBe('acknowledged');
		expect(await listPending(db, 10)).toHaveLength(2);
	});
});
