import { describe, expect, it } from 'vitest';
import type { Referral } from '$lib/domain/referral';
import { StorageFullError } from './errors';
import { acknowledge, enqueue, listRejected, markRejected } from './outbox';
import { recordReferral } from './referrals';
import {
	DEFAULT_VISIT_RETENTION_DAYS,
	getRetentionSettings,
	setVisitRetentionDays,
	sweepRetention
} from './retention';
import { failNextWrite, openTestDb } from './testing';
import { makeReferral } from '$factories/referral';
import { makeVisit } from '$factories/visit';
import { getVisit, recordVisit } from './visits';

const NOW = new Date('2026-05-01T12:00:00.000Z');
/** 40 days before NOW: past the default 31 days. */
const OLD = '2026-03-22T12:00:00.000Z';
/** 10 days before NOW. */
const RECENT = '2026-04-21T12:00:00.000Z';

const CONTACT = {
	consent: { given: true as const, recordedAt: '2026-03-10T08:19:00.000Z' },
	contact: { phone: '0612345678', callbackSlot: 'morning' as const }
};

/** A referral with consented contact details, in a final status when `status` is final. */
function aReferralWithContact(status: 'open' | 'resolved' | 'closed'): Referral {
	const history: Referral['history'] = [{ status: 'open', at: '2026-03-10T08:20:00.000Z' }];
	if (status !== 'open') history.push({ status, at: '2026-03-12T08:20:00.000Z' });
	return makeReferral({ ...CONTACT, status, history });
}

describe('retention settings', () => {
	it('defaults to 31 days with no sweep yet, and keeps a valid setting', async () => {
		const db = openTestDb();
		expect(await getRetentionSettings(db)).toEqual({
			visitRetentionDays: DEFAULT_VISIT_RETENTION_DAYS,
			lastSweepAt: null,
			lastRemoved: null
		});
		await setVisitRetentionDays(db, 90);
		expect((await getRetentionSettings(db)).visitRetentionDays).toBe(90);
	});

	it('refuses 0, 366 and fractions of a day with a message naming the range', async () => {
		const db = openTestDb();
		for (const days of [0, 366, 1.5, Number.NaN]) {
			await expect(setVisitRetentionDays(db, days)).rejects.toThrow(/de 1 à 365/);
		}
		expect((await getRetentionSettings(db)).visitRetentionDays).toBe(31);
	});

	it('falls back to defaults when the stored values are junk', async () => {
		const db = openTestDb();
		await db.meta.bulkPut([
			{ key: 'retention.visitRetentionDays', value: '90' },
			{ key: 'retention.lastSweepAt', value: 12 },
			{ key: 'retention.lastRemoved', value: { visitsRemoved: 'many' } }
		]);
		expect(await getRetentionSettings(db)).toEqual({
			visitRetentionDays: 31,
			lastSweepAt: null,
			lastRemoved: null
		});
	});
});

describe('sweepRetention: visits', () => {
	it('removes old acknowledged visits only, and records the sweep', async () => {
		const db = openTestDb();
		const oldSynced = makeVisit({ recordedAt: OLD });
		const recentSynced = makeVisit({ recordedAt: RECENT });
		const oldPending = makeVisit({ recordedAt: OLD });
		await recordVisit(db, oldSynced);
		await recordVisit(db, recentSynced);
		await acknowledge(db, 2);
		await recordVisit(db, oldPending);

		expect(await sweepRetention(db, NOW)).toEqual({ visitsRemoved: 1, contactsRemoved: 0 });

		expect(await getVisit(db, oldSynced.id)).toBeUndefined();
		expect(await getVisit(db, recentSynced.id)).toEqual(recentSynced);
		expect(await getVisit(db, oldPending.id)).toEqual(oldPending);
		expect(await getRetentionSettings(db)).toEqual({
			visitRetentionDays: 31,
			lastSweepAt: NOW.toISOString(),
			lastRemoved: { visitsRemoved: 1, contactsRemoved: 0 }
		});
	});

	it('never removes a pending visit, however old, nor one the server rejected', async () => {
		const db = openTestDb();
		const ancient = makeVisit({ recordedAt: '2025-01-01T08:00:00.000Z' });
		const rejected = makeVisit({ recordedAt: '2025-01-02T08:00:00.000Z' });
		await recordVisit(db, ancient);
		await recordVisit(db, rejected);
		await markRejected(db, 2, 'conflict');
		await setVisitRetentionDays(db, 1);

		expect(await sweepRetention(db, NOW)).toEqual({ visitsRemoved: 0, contactsRemoved: 0 });
		expect(await db.visits.count()).toBe(2);
	});

	it('follows the retention setting', async () => {
		const db = openTestDb();
		await recordVisit(db, makeVisit({ recordedAt: RECENT }));
		await acknowledge(db, 1);
		expect((await sweepRetention(db, NOW)).visitsRemoved).toBe(0);
		await setVisitRetentionDays(db, 7);
		expect((await sweepRetention(db, NOW)).visitsRemoved).toBe(1);
	});

	it('keeps an old correction while the visit it replaces is kept, so the old version never comes back', async () => {
		const db = openTestDb();
		const original = makeVisit({ recordedAt: OLD });
		const correction = makeVisit({ recordedAt: OLD, correctionOf: original.id });
		await recordVisit(db, original);
		await recordVisit(db, correction);
		// The server refused the original (kept, with its entry) but took the correction.
		await markRejected(db, 1, 'conflict');
		await acknowledge(db, 2);

		expect((await sweepRetention(db, NOW)).visitsRemoved).toBe(0);
		expect(await db.visits.count()).toBe(2);
	});

	it('removes a whole synced chain of corrections together', async () => {
		const db = openTestDb();
		const original = makeVisit({ recordedAt: OLD });
		await recordVisit(db, original);
		await recordVisit(db, makeVisit({ recordedAt: OLD, correctionOf: original.id }));
		await acknowledge(db, 2);
		expect((await sweepRetention(db, NOW)).visitsRemoved).toBe(2);
	});

	it('keeps an old withdrawn visit until its withdrawal is acknowledged, then removes both', async () => {
		const db = openTestDb();
		const visit = await recordVisit(db, makeVisit({ recordedAt: OLD }));
		await db.transaction('rw', [db.visitWithdrawals, db.outbox, db.meta], (tx) =>
			Promise.all([
				tx.visitWithdrawals.add({ visitId: visit.id, serviceDayId: visit.serviceDayId, at: OLD }),
				enqueue(tx, {
					kind: 'visit.withdraw',
					entityId: visit.id,
					payload: { visitId: visit.id, at: OLD },
					createdAt: OLD
				})
			])
		);
		await acknowledge(db, 1);

		expect(await sweepRetention(db, NOW)).toEqual({ visitsRemoved: 0, contactsRemoved: 0 });
		expect(await db.visitWithdrawals.count()).toBe(1);
		await acknowledge(db, 2);
		expect(await sweepRetention(db, NOW)).toEqual({ visitsRemoved: 1, contactsRemoved: 0 });
		expect(await getVisit(db, visit.id)).toBeUndefined();
		expect(await db.visitWithdrawals.count()).toBe(0);
	});
});

describe('sweepRetention: contacts', () => {
	it('removes the contact of a final, synced referral and keeps its consent record', async () => {
		const db = openTestDb();
		const resolved = aReferralWithContact('resolved');
		await recordReferral(db, resolved);
		await acknowledge(db, 1);

		expect(await sweepRetention(db, NOW)).toEqual({ visitsRemoved: 0, contactsRemoved: 1 });
		expect(await db.referrals.get(resolved.id)).toEqual({ ...resolved, contact: null });
		expect((await sweepRetention(db, NOW)).contactsRemoved).toBe(0);
	});

	it('keeps the contact of an open referral, and of a final one still pending', async () => {
		const db = openTestDb();
		const open = aReferralWithContact('open');
		const closedPending = aReferralWithContact('closed');
		await recordReferral(db, open);
		await acknowledge(db, 1);
		await recordReferral(db, closedPending);

		expect((await sweepRetention(db, NOW)).contactsRemoved).toBe(0);
		expect((await db.referrals.get(open.id))?.contact).toEqual(CONTACT.contact);
		expect((await db.referrals.get(closedPending.id))?.contact).toEqual(CONTACT.contact);
	});

	it('removes the contact from the rejected creation of a final referral, never sent again', async () => {
		const db = openTestDb();
		const closed = aReferralWithContact('closed');
		await recordReferral(db, closed);
		await markRejected(db, 1, 'not_found');

		expect((await sweepRetention(db, NOW)).contactsRemoved).toBe(1);
		expect(await db.referrals.get(closed.id)).toMatchObject({ contact: null, consent: CONTACT.consent });
		expect(await listRejected(db)).toMatchObject([
			{ kind: 'referral.create', status: 'rejected', payload: { id: closed.id, contact: null } }
		]);
	});
});

describe('sweepRetention: all or nothing', () => {
	it('removes nothing when the disk fills on its last write', async () => {
		const db = openTestDb();
		const visit = makeVisit({ recordedAt: OLD });
		const resolved = aReferralWithContact('resolved');
		await recordVisit(db, visit);
		await recordReferral(db, resolved);
		await acknowledge(db, 2);

		failNextWrite('meta', 'QuotaExceededError');
		await expect(sweepRetention(db, NOW)).rejects.toBeInstanceOf(StorageFullError);
		expect(await getVisit(db, visit.id)).toEqual(visit);
		expect((await db.referrals.get(resolved.id))?.contact).toEqual(CONTACT.contact);
		expect((await getRetentionSettings(db)).lastSweepAt).toBeNull();
	});
});
