import { describe, expect, it } from 'vitest';
import { recordCheckIn } from '$lib/client/db/check-in';
import { InvalidRecordError } from '$lib/client/db/errors';
import { openTestDb } from '$lib/client/db/testing';
import {
	buildCheckIn,
	draftFromVisit,
	newCheckInDraft,
	newRequestDraft,
	type DraftDefaults
} from './check-in-form';

const DEFAULTS: DraftDefaults = { channel: 'walkIn', partner: 'CAF', theme: 'family', outcome: 'resolved' };
const NOW = new Date('2026-03-10T09:30:00.000Z');
const context = () => {
	let n = 0;
	return {
		busId: 'fs-1',
		serviceDayId: 'fs-1-marche@2026-03-10',
		now: NOW,
		newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`
	};
};

describe('the check-in form model', () => {
	it('makes a minimal visit that leaves out the optional fields left empty', () => {
		const { visit, referrals } = buildCheckIn(newCheckInDraft(DEFAULTS, '2026-03-10'), context());
		expect(visit).toEqual({
			id: '00000000-0000-4000-8000-000000000001',
			busId: 'fs-1',
			serviceDayId: 'fs-1-marche@2026-03-10',
			recordedAt: NOW.toISOString(),
			channel: 'walkIn',
			referenceVersion: expect.any(String),
			requests: [{ partner: 'CAF', theme: 'family', outcome: 'resolved' }]
		});
		expect(referrals).toEqual([]);
	});

	it('turns each referred request into an open referral due a week later, stored with its visit', async () => {
		const draft = newCheckInDraft(DEFAULTS, '2026-03-10');
		draft.requests.push(newRequestDraft({ ...DEFAULTS, partner: 'CPAM', outcome: 'referred' }, '2026-03-10'));
		draft.durationMinutes = 20;
		draft.ageBand = 'from70';
		const built = buildCheckIn(draft, context());
		expect(built.referrals).toHaveLength(1);
		expect(built.referrals[0]).toMatchObject({ partner: 'CPAM', dueDate: '2026-03-17', status: 'open' });

		const db = openTestDb();
		const stored = await recordCheckIn(db, built);
		expect(stored.visit).toMatchObject({ durationMinutes: 20, ageBand: 'from70' });
		expect(await db.referrals.count()).toBe(1);
		expect(await db.outbox.count()).toBe(2);
	});

	it('records no contact without consent, even if a number was typed before unticking', () => {
		const draft = newCheckInDraft({ ...DEFAULTS, outcome: 'referred' }, '2026-03-10');
		const request = draft.requests[0]!;
		request.referral.phone = '06 12 34 56 78';
		expect(buildCheckIn(draft, context()).referrals[0]).toMatchObject({ consent: null, contact: null });

		request.referral.consent = true;
		request.referral.callbackSlot = 'morning';
		expect(buildCheckIn(draft, context()).referrals[0]).toMatchObject({
			consent: { given: true, recordedAt: NOW.toISOString() },
			contact: { phone: '06 12 34 56 78', callbackSlot: 'morning' }
		});
	});

	it('refuses, writing nothing, a callback referral without consent', async () => {
		const draft = newCheckInDraft({ ...DEFAULTS, outcome: 'referred' }, '2026-03-10');
		draft.requests[0]!.referral.mode = 'callbackRequested';
		const db = openTestDb();
		await expect(recordCheckIn(db, buildCheckIn(draft, context()))).rejects.toBeInstanceOf(
			InvalidRecordError
		);
		expect([await db.visits.count(), await db.referrals.count(), await db.outbox.count()]).toEqual([0, 0, 0]);
	});

	it('starts a correction from the recorded visit and creates no referral again', async () => {
		const draft = newCheckInDraft({ ...DEFAULTS, outcome: 'referred' }, '2026-03-10');
		const db = openTestDb();
		const { visit } = await recordCheckIn(db, buildCheckIn(draft, context()));
		const correction = draftFromVisit(visit, '2026-03-10');
		expect(correction.requests.map((request) => request.outcome)).toEqual(['referred']);
		const built = buildCheckIn(correction, { ...context(), correctionOf: visit.id });
		expect(built.visit.correctionOf).toBe(visit.id);
		expect(built.referrals).toEqual([]);
	});
});
