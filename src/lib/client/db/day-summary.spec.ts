import { describe, expect, it } from 'vitest';
import type { Bus } from '$lib/domain/schedule';
import { correctVisit, recordCheckIn, withdrawVisit } from './check-in';
import { readDaySummary } from './day-summary';
import { acknowledge, markRejected } from './outbox';
import { moveReferral } from './referrals';
import { reportServiceDay } from './service-day-reports';
import { openTestDb } from './testing';
import { makeReferral } from '$factories/referral';
import { makeServiceDay } from '$factories/schedule';
import { makeVisit } from '$factories/visit';
import { recordVisit } from './visits';

const DAY = makeServiceDay();
const NOW = new Date('2026-03-10T10:00:00.000Z');
const NO_OUTCOMES = { resolved: 0, toFinishAutonomously: 0, mustReturn: 0, referred: 0 };

describe('readDaySummary', () => {
	it('is empty for a day without records', async () => {
		const db = openTestDb();
		expect(await readDaySummary(db, DAY.id)).toEqual({
			serviceDayId: DAY.id,
			visits: [],
			withdrawn: [],
			requests: 0,
			corrections: 0,
			byPartner: [],
			byOutcome: NO_OUTCOMES,
			referralsOpened: 0,
			pending: { visits: 0, referrals: 0, reports: 0 }
		});
	});

	it("counts the day's current check-ins, by partner and outcome, and what is still to send", async () => {
		const db = openTestDb();
		await db.serviceDays.add(DAY);
		await db.buses.add({ id: 'fs-1', timeZone: 'Europe/Paris' } as Bus);

		// 08:00: CAF referred + CPAM resolved, with a CAF referral.
		const first = makeVisit({
			recordedAt: '2026-03-10T08:00:00.000Z',
			requests: [
				{ partner: 'CAF', theme: 'family', outcome: 'referred' },
				{ partner: 'CPAM', theme: 'socialHealth', outcome: 'resolved' }
			]
		});
		const referral = makeReferral({ visitId: first.id });
		await recordCheckIn(db, { visit: first, referrals: [referral] }, NOW);
		// 09:00: DGFIP resolved, then corrected to DGFIP mustReturn + CPAM resolved.
		const second = makeVisit({
			recordedAt: '2026-03-10T09:00:00.000Z',
			requests: [{ partner: 'DGFIP', theme: 'moneyTaxes', outcome: 'resolved' }]
		});
		await recordVisit(db, second, NOW);
		const fix = await correctVisit(
			db,
			second.id,
			{
				...second,
				id: crypto.randomUUID(),
				requests: [
					{ partner: 'DGFIP', theme: 'moneyTaxes', outcome: 'mustReturn' },
					{ partner: 'CPAM', theme: 'socialHealth', outcome: 'resolved' }
				]
			},
			NOW
		);
		// Another day's visit is not counted.
		await recordVisit(db, makeVisit({ serviceDayId: 'fs-1-marche@2026-03-17' }), NOW);
		await reportServiceDay(db, { serviceDayId: DAY.id, report: 'late', delayMinutes: 10 }, NOW);

		// The first three mutations reached the server: visit 1, its referral, visit 2.
		await acknowledge(db, 3);
		await moveReferral(db, referral.id, 'transmitted', NOW);

		const summary = await readDaySummary(db, DAY.id);
		expect(summary).toEqual({
			serviceDayId: DAY.id,
			visits: [first, fix],
			withdrawn: [],
			requests: 4,
			corrections: 1,
			byPartner: [
				{ partner: 'CPAM', requests: 2, byOutcome: { ...NO_OUTCOMES, resolved: 2 } },
				{ partner: 'CAF', requests: 1, byOutcome: { ...NO_OUTCOMES, referred: 1 } },
				{ partner: 'DGFIP', requests: 1, byOutcome: { ...NO_OUTCOMES, mustReturn: 1 } }
			],
			byOutcome: { resolved: 2, toFinishAutonomously: 0, mustReturn: 1, referred: 1 },
			referralsOpened: 1,
			// The correction, the referral's move and the late report.
			pending: { visits: 1, referrals: 1, reports: 1 }
		});
	});

	it('leaves a withdrawn check-in out of every count, lists it apart, and counts its withdrawal as pending', async () => {
		const db = openTestDb();
		await db.serviceDays.add(DAY);
		await db.buses.add({ id: 'fs-1', timeZone: 'Europe/Paris' } as Bus);
		const kept = makeVisit({ recordedAt: '2026-03-10T08:00:00.000Z' });
		await recordVisit(db, kept, NOW);
		// A double tap: the same visitor twice, with a referral each; the second is withdrawn.
		const twice = makeVisit({
			recordedAt: '2026-03-10T08:05:00.000Z',
			requests: [{ partner: 'CAF', theme: 'family', outcome: 'referred' }]
		});
		await recordCheckIn(db, { visit: twice, referrals: [makeReferral({ visitId: twice.id })] }, NOW);
		// A corrected check-in withdrawn through its correction counts nowhere either.
		const corrected = makeVisit({ recordedAt: '2026-03-10T08:10:00.000Z' });
		await recordVisit(db, corrected, NOW);
		const fix = await correctVisit(db, corrected.id, { ...corrected, id: crypto.randomUUID() }, NOW);
		await acknowledge(db, 5);

		await withdrawVisit(db, twice.id, NOW);
		await withdrawVisit(db, fix.id, NOW);

		const summary = await readDaySummary(db, DAY.id);
		expect(summary.visits).toEqual([kept]);
		expect(summary.withdrawn).toEqual([twice, fix]);
		expect(summary.requests).toBe(1);
		expect(summary.byPartner).toEqual([
			{ partner: 'CAF', requests: 1, byOutcome: { ...NO_OUTCOMES, resolved: 1 } }
		]);
		expect(summary.referralsOpened).toBe(0);
		expect(summary.corrections).toBe(1);
		// Two withdrawals and the referral closed with the first.
		expect(summary.pending).toEqual({ visits: 2, referrals: 1, reports: 0 });
	});

	it('does not count rejected entries as pending', async () => {
		const db = openTestDb();
		const visit = makeVisit();
		await recordVisit(db, visit);
		await markRejected(db, 1, 'conflict');
		expect((await readDaySummary(db, visit.serviceDayId)).pending).toEqual({
			visits: 0,
			referrals: 0,
			reports: 0
		});
	});
});
