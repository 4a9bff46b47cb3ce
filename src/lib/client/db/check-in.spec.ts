import { describe, expect, it } from 'vitest';
import type { Bus } from '$lib/domain/schedule';
import type { Visit } from '$lib/domain/visit';
import {
	correctVisit,
	currentVersions,
	findCorrectableVisit,
	listCurrentVisitsOfServiceDay,
	recordCheckIn,
	withdrawVisit
} from './check-in';
import { InvalidRecordError, StorageFullError } from './errors';
import { getMeta } from './meta';
import { listPending } from './outbox';
import type { EscaleDb } from './schema';
import { failNextWrite, openTestDb } from './testing';
import { makeReferral } from '$factories/referral';
import { makeServiceDay } from '$factories/schedule';
import { makeVisit } from '$factories/visit';
import { getVisit, recordVisit } from './visits';

/** A visit with one resolved CAF request and one CAF request referred to a partner. */
function aReferredVisit(overrides: Partial<Visit> = {}): Visit {
	return makeVisit({
		requests: [
			{ partner: 'CAF', theme: 'family', outcome: 'resolved' },
			{ partner: 'CAF', theme: 'socialHealth', outcome: 'referred' }
		],
		...overrides
	});
}

async function rowCounts(db: EscaleDb) {
	return {
		visits: await db.visits.count(),
		referrals: await db.referrals.count(),
		outbox: await db.outbox.count(),
		lastMutationId: await getMeta(db, 'outbox.lastMutationId')
	};
}
const NOTHING_WRITTEN = { visits: 0, referrals: 0, outbox: 0, lastMutationId: undefined };

async function issuesOf(promise: Promise<unknown>) {
	const error = await promise.catch((e: unknown) => e);
	expect(error).toBeInstanceOf(InvalidRecordError);
	return (error as InvalidRecordError).issues;
}

describe('recordCheckIn', () => {
	it('writes the visit, its referral and their outbox entries, the visit queued first', async () => {
		const db = openTestDb();
		const visit = aReferredVisit();
		const referral = makeReferral({ visitId: visit.id });

		const result = await recordCheckIn(
			db,
			{ visit, referrals: [referral] },
			new Date('2026-03-10T08:21:00.000Z')
		);

		expect(result).toEqual({ visit, referrals: [referral] });
		expect(await getVisit(db, visit.id)).toEqual(visit);
		expect(await db.referrals.get(referral.id)).toEqual(referral);
		expect(await listPending(db, 10)).toMatchObject([
			{ mutationId: 1, kind: 'visit.create', entityId: visit.id, createdAt: '2026-03-10T08:21:00.000Z' },
			{ mutationId: 2, kind: 'referral.create', entityId: referral.id, payload: referral }
		]);
	});

	it('writes a visit without referrals', async () => {
		const db = openTestDb();
		await recordCheckIn(db, { visit: makeVisit(), referrals: [] });
		expect(await rowCounts(db)).toEqual({ visits: 1, referrals: 0, outbox: 1, lastMutationId: 1 });
	});

	it('writes nothing when one referral is invalid, naming it by its place', async () => {
		const db = openTestDb();
		const visit = aReferredVisit({
			requests: [
				{ partner: 'CAF', theme: 'family', outcome: 'referred' },
				{ partner: 'CPAM', theme: 'socialHealth', outcome: 'referred' }
			]
		});
		const good = makeReferral({ visitId: visit.id });
		const noConsent = makeReferral({
			visitId: visit.id,
			partner: 'CPAM',
			contact: { phone: '0612345678' }
		});

		const issues = await issuesOf(recordCheckIn(db, { visit, referrals: [good, noConsent] }));
		expect(issues.map((issue) => issue.path)).toEqual(['referrals.1.contact']);
		expect(JSON.stringify(issues)).not.toContain('0612345678');
		expect(await rowCounts(db)).toEqual(NOTHING_WRITTEN);
	});

	it('refuses a referral of another visit or another bus', async () => {
		const db = openTestDb();
		const visit = aReferredVisit();
		const issues = await issuesOf(recordCheckIn(db, { visit, referrals: [makeReferral({ busId: 'fs-2' })] }));
		expect(issues.map((issue) => issue.path)).toEqual(['referrals.0.visitId', 'referrals.0.busId']);
		expect(await rowCounts(db)).toEqual(NOTHING_WRITTEN);
	});

	it('refuses a referral with no referred request of its partner, one referral per referred request', async () => {
		const db = openTestDb();
		const visit = aReferredVisit();
		const otherPartner = makeReferral({ visitId: visit.id, partner: 'CPAM' });
		expect(
			(await issuesOf(recordCheckIn(db, { visit, referrals: [otherPartner] }))).map((i) => i.path)
		).toEqual(['referrals.0.partner']);

		const twice = [makeReferral({ visitId: visit.id }), makeReferral({ visitId: visit.id })];
		expect((await issuesOf(recordCheckIn(db, { visit, referrals: twice }))).map((i) => i.path)).toEqual([
			'referrals.1.partner'
		]);

		const resolvedOnly = makeVisit();
		const referral = makeReferral({ visitId: resolvedOnly.id });
		await expect(recordCheckIn(db, { visit: resolvedOnly, referrals: [referral] })).rejects.toBeInstanceOf(
			InvalidRecordError
		);
		expect(await rowCounts(db)).toEqual(NOTHING_WRITTEN);
	});

	it('refuses an invalid visit, and a correction passed as a new check-in', async () => {
		const db = openTestDb();
		expect(
			(await issuesOf(recordCheckIn(db, { visit: { ...makeVisit(), note: 'x' }, referrals: [] }))).map(
				(i) => i.path
			)
		).toEqual(['']);
		const correction = makeVisit({ correctionOf: crypto.randomUUID() });
		expect(
			(await issuesOf(recordCheckIn(db, { visit: correction, referrals: [] }))).map((i) => i.path)
		).toEqual(['correctionOf']);
		expect(await rowCounts(db)).toEqual(NOTHING_WRITTEN);
	});

	it('writes nothing when the disk fills on the referral, after the visit and its entry', async () => {
		const db = openTestDb();
		const visit = aReferredVisit();
		failNextWrite('referrals', 'QuotaExceededError');
		await expect(
			recordCheckIn(db, { visit, referrals: [makeReferral({ visitId: visit.id })] })
		).rejects.toBeInstanceOf(StorageFullError);
		expect(await rowCounts(db)).toEqual(NOTHING_WRITTEN);
	});
});

const DAY = makeServiceDay();
const BUS = { id: 'fs-1', timeZone: 'Europe/Paris' } as Bus;
const DURING_THE_DAY = new Date('2026-03-10T10:00:00.000Z');

async function dbWithVisit(original = makeVisit()): Promise<{ db: EscaleDb; original: Visit }> {
	const db = openTestDb();
	await db.serviceDays.add(DAY);
	await db.buses.add(BUS);
	await recordVisit(db, original);
	return { db, original };
}

/** The same check-in with its outcome changed, as a new visit. */
function fixOf(visit: Visit, overrides: Partial<Visit> = {}): Visit {
	return {
		...visit,
		id: crypto.randomUUID(),
		requests: [{ partner: 'CAF', theme: 'family', outcome: 'mustReturn' }],
		...overrides
	};
}

describe('correctVisit', () => {
	it('records the correction as a new visit naming the original, and queues it', async () => {
		const { db, original } = await dbWithVisit();
		const fix = fixOf(original);

		const stored = await correctVisit(db, original.id, fix, DURING_THE_DAY);

		expect(stored).toEqual({ ...fix, correctionOf: original.id });
		expect(await getVisit(db, fix.id)).toEqual(stored);
		expect(await getVisit(db, original.id)).toEqual(original);
		expect((await listPending(db, 10)).at(-1)).toMatchObject({
			kind: 'visit.create',
			entityId: fix.id,
			payload: { correctionOf: original.id }
		});
	});

	it('refuses to correct a visit already corrected: the newest correction is the one to correct', async () => {
		const { db, original } = await dbWithVisit();
		const first = await correctVisit(db, original.id, fixOf(original), DURING_THE_DAY);

		const issues = await issuesOf(correctVisit(db, original.id, fixOf(original), DURING_THE_DAY));
		expect(issues).toEqual([
			{
				path: 'correctionOf',
				message: 'Visite déjà corrigée : corriger plutôt sa dernière correction'
			}
		]);
		const second = await correctVisit(db, first.id, fixOf(original), DURING_THE_DAY);
		expect(second.correctionOf).toBe(first.id);
		expect(await db.visits.count()).toBe(3);
		expect(await listPending(db, 10)).toHaveLength(3);
	});

	it('refuses a correction moved to another service day or bus', async () => {
		const { db, original } = await dbWithVisit();
		for (const moved of [{ serviceDayId: 'fs-1-marche@2026-03-17' }, { busId: 'fs-2' }]) {
			await expect(
				correctVisit(db, original.id, fixOf(original, moved), DURING_THE_DAY)
			).rejects.toMatchObject({ issues: [{ path: 'correctionOf' }] });
		}
		expect(await db.visits.count()).toBe(1);
	});

	it('refuses a correction made after the local day of the service day', async () => {
		const { db, original } = await dbWithVisit();
		// 00:30 in Paris on 11 March: the next local day, though still 10 March in UTC.
		const nextLocalDay = new Date('2026-03-10T23:30:00.000Z');
		await expect(correctVisit(db, original.id, fixOf(original), nextLocalDay)).rejects.toMatchObject({
			issues: [{ message: 'Une visite ne se corrige que le jour même du passage' }]
		});
		expect(await db.visits.count()).toBe(1);
		expect(await listPending(db, 10)).toHaveLength(1);
	});

	it('refuses an unknown original, and a correction naming another visit', async () => {
		const { db, original } = await dbWithVisit();
		await expect(
			correctVisit(db, crypto.randomUUID(), fixOf(original), DURING_THE_DAY)
		).rejects.toBeInstanceOf(InvalidRecordError);
		await expect(
			correctVisit(db, original.id, fixOf(original, { correctionOf: crypto.randomUUID() }), DURING_THE_DAY)
		).rejects.toBeInstanceOf(InvalidRecordError);
		await expect(correctVisit(db, original.id, { ...original }, DURING_THE_DAY)).rejects.toBeInstanceOf(
			InvalidRecordError
		);
		expect(await db.visits.count()).toBe(1);
	});

	it('writes nothing when the disk fills on the outbox write', async () => {
		const { db, original } = await dbWithVisit();
		failNextWrite('outbox', 'QuotaExceededError');
		await expect(correctVisit(db, original.id, fixOf(original), DURING_THE_DAY)).rejects.toBeInstanceOf(
			StorageFullError
		);
		expect(await db.visits.count()).toBe(1);
		expect(await listPending(db, 10)).toHaveLength(1);
	});
});

describe('listCurrentVisitsOfServiceDay', () => {
	it('shows each check-in once, in its newest version, in the order of the original check-ins', async () => {
		const { db, original } = await dbWithVisit(makeVisit({ recordedAt: '2026-03-10T08:00:00.000Z' }));
		const later = makeVisit({ recordedAt: '2026-03-10T09:00:00.000Z' });
		await recordVisit(db, later);
		await recordVisit(db, makeVisit({ serviceDayId: 'fs-1-marche@2026-03-17' }));
		// Corrected at 10:00 and again at 10:30: still shown first, where the 08:00 check-in was.
		const first = await correctVisit(
			db,
			original.id,
			fixOf(original, { recordedAt: '2026-03-10T10:00:00.000Z' }),
			DURING_THE_DAY
		);
		const second = await correctVisit(
			db,
			first.id,
			fixOf(original, { recordedAt: '2026-03-10T10:30:00.000Z' }),
			DURING_THE_DAY
		);

		expect(await listCurrentVisitsOfServiceDay(db, DAY.id)).toEqual([second, later]);
	});

	it('keeps a correction whose original is gone (removed by retention) in its own place', () => {
		const orphan = makeVisit({ correctionOf: crypto.randomUUID(), recordedAt: '2026-03-10T09:30:00.000Z' });
		const early = makeVisit({ recordedAt: '2026-03-10T09:00:00.000Z' });
		expect(currentVersions([orphan, early])).toEqual([early, orphan]);
	});
});

describe('withdrawVisit', () => {
	it('records the withdrawal and its mutation together; the visit stays but leaves the day', async () => {
		const { db, original } = await dbWithVisit();
		const kept = await recordVisit(db, makeVisit({ recordedAt: '2026-03-10T08:20:00.000Z' }));

		const result = await withdrawVisit(db, original.id, DURING_THE_DAY);

		expect(result).toEqual({
			withdrawal: { visitId: original.id, serviceDayId: DAY.id, at: DURING_THE_DAY.toISOString() },
			referralsClosed: 0
		});
		expect(await getVisit(db, original.id)).toEqual(original);
		expect(await listCurrentVisitsOfServiceDay(db, DAY.id)).toEqual([kept]);
		expect((await listPending(db, 10)).at(-1)).toMatchObject({
			kind: 'visit.withdraw',
			entityId: original.id,
			payload: { visitId: original.id, at: DURING_THE_DAY.toISOString() }
		});
	});

	it('withdraws a corrected check-in through its newest version, never through a replaced one', async () => {
		const { db, original } = await dbWithVisit();
		const correction = await correctVisit(db, original.id, fixOf(original), DURING_THE_DAY);

		const issues = await issuesOf(withdrawVisit(db, original.id, DURING_THE_DAY));
		expect(issues).toEqual([
			{ path: 'visitId', message: 'Visite déjà corrigée : annuler plutôt sa dernière correction' }
		]);
		await withdrawVisit(db, correction.id, DURING_THE_DAY);
		expect(await listCurrentVisitsOfServiceDay(db, DAY.id)).toEqual([]);
	});

	it('refuses a second withdrawal, and a correction of a withdrawn visit', async () => {
		const { db, original } = await dbWithVisit();
		await withdrawVisit(db, original.id, DURING_THE_DAY);
		const queued = await listPending(db, 10);

		expect(await issuesOf(withdrawVisit(db, original.id, DURING_THE_DAY))).toEqual([
			{ path: 'visitId', message: 'Visite déjà annulée' }
		]);
		expect(await issuesOf(correctVisit(db, original.id, fixOf(original), DURING_THE_DAY))).toEqual([
			{ path: 'correctionOf', message: 'Visite annulée : elle ne se corrige plus' }
		]);
		expect(await findCorrectableVisit(db, original.id, DURING_THE_DAY)).toBeNull();
		expect(await listPending(db, 10)).toEqual(queued);
	});

	it('refuses an unknown visit, and a withdrawal after the local day of the service day', async () => {
		const { db, original } = await dbWithVisit();
		await expect(withdrawVisit(db, crypto.randomUUID(), DURING_THE_DAY)).rejects.toBeInstanceOf(
			InvalidRecordError
		);
		// 00:30 in Paris on 11 March: the next local day, though still 10 March in UTC.
		expect(await issuesOf(withdrawVisit(db, original.id, new Date('2026-03-10T23:30:00.000Z')))).toEqual([
			{ path: 'visitId', message: "Une visite ne s'annule que le jour même du passage" }
		]);
		expect(await db.visitWithdrawals.count()).toBe(0);
		expect(await listPending(db, 10)).toHaveLength(1);
	});

	it("closes the check-in's open referrals with it, whichever version they were written with", async () => {
		const db = openTestDb();
		await db.serviceDays.add(DAY);
		await db.buses.add(BUS);
		const visit = aReferredVisit();
		const referral = makeReferral({ visitId: visit.id });
		await recordCheckIn(db, { visit, referrals: [referral] }, DURING_THE_DAY);
		const correction = await correctVisit(
			db,
			visit.id,
			{ ...visit, id: crypto.randomUUID() },
			DURING_THE_DAY
		);

		const result = await withdrawVisit(db, correction.id, DURING_THE_DAY);

		expect(result.referralsClosed).toBe(1);
		expect(await db.referrals.get(referral.id)).toMatchObject({
			status: 'closed',
			history: [{ status: 'open' }, { status: 'closed', at: DURING_THE_DAY.toISOString() }]
		});
		expect((await listPending(db, 10)).slice(-2)).toMatchObject([
			{ kind: 'visit.withdraw', entityId: correction.id },
			{ kind: 'referral.status', entityId: referral.id, payload: { status: 'closed' } }
		]);
	});

	it('writes nothing when the disk fills on the outbox write', async () => {
		const { db, original } = await dbWithVisit();
		failNextWrite('outbox', 'QuotaExceededError');
		await expect(withdrawVisit(db, original.id, DURING_THE_DAY)).rejects.toBeInstanceOf(StorageFullError);
		expect(await db.visitWithdrawals.count()).toBe(0);
		expect(await listCurrentVisitsOfServiceDay(db, DAY.id)).toEqual([original]);
		expect(await listPending(db, 10)).toHaveLength(1);
	});
});
