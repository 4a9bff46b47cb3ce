/**
 * Model-based property test of sync: random sequences of recording visits and referrals, moving referrals
 * forward, syncs through a faulty network (also while a record is being written), client restarts, and a
 * tablet that counts its mutation ids again from an old number (its key-value table cleared, or its whole
 * database lost after everything was sent). After the network heals, every record committed on the tablet
 * is on the server exactly once, the outbox is empty, the cursor never went back (except when the tablet
 * lost it), and the tablet's view of its bus equals the server's. A push whose answer was lost is
 * followed by a check (digest prefixes, answered from the server's ledger): the runs must take that path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getMeta } from '$lib/client/db/meta';
import { countPending, listRejected } from '$lib/client/db/outbox';
import { canMoveReferral, REFERRAL_STATUSES, type ReferralStatus } from '$lib/domain/referral';
import { getReferral, moveReferral, recordReferral } from '$lib/client/db/referrals';
import { makeReferral } from '$factories/referral';
import { makeVisit } from '$factories/visit';
import { recordVisit } from '$lib/client/db/visits';
import { enroll } from '$lib/client/sync/credentials';
import { decodeCursor } from '$lib/sync/cursor';
import { bus, FAULTS, isCheck, isRangeCheck, openServer, TestDevice, type Fault } from './harness';

type Step =
	| { kind: 'visit' }
	| { kind: 'referral'; of: number }
	| { kind: 'move'; of: number; to: ReferralStatus }
	| { kind: 'sync'; faults: Fault[] }
	| { kind: 'restart' }
	| { kind: 'loseCounter' }
	| { kind: 'loseDatabase' }
	| { kind: 'writeDuringSync'; faults: Fault[]; during: 'push' | 'pull'; of: number; to: ReferralStatus };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
	{ weight: 2, arbitrary: fc.constant<Step>({ kind: 'visit' }) },
	{ weight: 2, arbitrary: fc.nat(20).map<Step>((of) => ({ kind: 'referral', of })) },
	{
		weight: 1,
		arbitrary: fc
			.record({ of: fc.nat(20), to: fc.constantFrom(...REFERRAL_STATUSES) })
			.map<Step>(({ of, to }) => ({ kind: 'move', of, to }))
	},
	{
		weight: 3,
		arbitrary: fc
			.array(fc.constantFrom(...FAULTS), { minLength: 1, maxLength: 4 })
			.map<Step>((faults) => ({ kind: 'sync', faults }))
	},
	{ weight: 1, arbitrary: fc.constant<Step>({ kind: 'restart' }) },
	{ weight: 1, arbitrary: fc.constant<Step>({ kind: 'loseCounter' }) },
	{ weight: 1, arbitrary: fc.constant<Step>({ kind: 'loseDatabase' }) },
	{
		weight: 2,
		arbitrary: fc
			.record({
				faults: fc.array(fc.constantFrom(...FAULTS), { maxLength: 2 }),
				during: fc.constantFrom('push' as const, 'pull' as const),
				of: fc.nat(20),
				to: fc.constantFrom(...REFERRAL_STATUSES)
			})
			.map<Step>((fields) => ({ kind: 'writeDuringSync', ...fields }))
	}
);

/** Checks (digest prefixes sent for entries whose answer was lost) the server answered, over every run. */
let checksAnswered = 0;
let rangeChecksAnswered = 0;

const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));

async function runScenario(steps: Step[]): Promise<void> {
	const { store, code } = await openServer();
	try {
		const tablet = new TestDevice(store);
		const enrolled = await enroll(
			{ db: tablet.db, transport: tablet.transport, credentials: tablet.credentials, appVersion: '0.1.0' },
			code
		);
		expect(enrolled.ok).toBe(true);
		const visits: string[] = [];
		/** The visits the tablet still holds (those recorded before it lost its database are gone). */
		let visitsOnDevice = 0;
		const referrals: string[] = [];
		/** The model: the status the crew last gave each referral (only the tablet moves them here). */
		const statuses = new Map<string, ReferralStatus>();
		let lastSeq = 0;
		const checkCursor = async () => {
			const seq = decodeCursor((await getMeta(tablet.db, 'sync.cursor')) ?? null) ?? -1;
			expect(seq).toBeGreaterThanOrEqual(lastSeq);
			lastSeq = seq;
		};

		const move = async (of: number, to: ReferralStatus) => {
			const id = referrals[of % Math.max(1, referrals.length)];
			const from = id === undefined ? undefined : statuses.get(id);
			if (id === undefined || from === undefined || !canMoveReferral(from, to)) return;
			await moveReferral(tablet.db, id, to);
			statuses.set(id, to);
		};

		for (const step of steps) {
			if (step.kind === 'visit') {
				visits.push((await recordVisit(tablet.db, makeVisit())).id);
				visitsOnDevice++;
			} else if (step.kind === 'referral' && visits.length > 0) {
				const visitId = visits[step.of % visits.length]!;
				const referral = await recordReferral(tablet.db, makeReferral({ visitId }));
				referrals.push(referral.id);
				statuses.set(referral.id, referral.status);
			} else if (step.kind === 'move') {
				await move(step.of, step.to);
			} else if (step.kind === 'sync') {
				tablet.faults.splice(0, tablet.faults.length, ...step.faults);
				await tablet.engine.syncOnce();
				await checkCursor();
			} else if (step.kind === 'writeDuringSync') {
				tablet.faults.splice(0, tablet.faults.length, ...step.faults);
				tablet.inFlight.next = {
					path: `/api/sync/${step.during}`,
					run: async () => {
						visits.push((await recordVisit(tablet.db, makeVisit())).id);
						visitsOnDevice++;
						await move(step.of, step.to);
					}
				};
				await tablet.engine.syncOnce();
				tablet.inFlight.next = null;
				await checkCursor();
			} else if (step.kind === 'restart') {
				tablet.restart();
			} else if (step.kind === 'loseCounter') {
				await tablet.loseCounter();
				lastSeq = 0;
			} else if (step.kind === 'loseDatabase') {
				// Everything was sent first: what the tablet had not sent would be lost with it, not by sync.
				tablet.faults.length = 0;
				await tablet.engine.syncOnce();
				await tablet.engine.syncOnce();
				expect(await countPending(tablet.db)).toBe(0);
				await tablet.loseDatabase();
				visitsOnDevice = 0;
				lastSeq = 0;
				// The schedule and the referrals come back with a pull from the start.
				expect(await tablet.engine.syncOnce()).toMatchObject({ ok: true });
			}
			// A pull never takes back a status the crew gave: the tablet shows the model's statuses.
			for (const [id, status] of statuses) expect((await getReferral(tablet.db, id))?.status).toBe(status);
		}

		// The network heals.
		tablet.faults.length = 0;
		// Everything pending is sent; a record written while the last faulty sync ran may need a second one.
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: true, rejected: 0 });
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: true, pushed: 0, rejected: 0 });
		await checkCursor();

		expect(await countPending(tablet.db)).toBe(0);
		expect(await listRejected(tablet.db)).toEqual([]);
		const rows = await store.syncStats.countRows();
		expect(rows.visits).toBe(visits.length);
		expect(rows.referrals).toBe(referrals.length);
		for (const visit of await tablet.db.visits.toArray()) {
			const stored = await store.syncRecords.getVisit(visit.id);
			expect(JSON.parse(stored?.json ?? 'null')).toEqual(visit);
		}
		expect(await tablet.db.visits.count()).toBe(visitsOnDevice);
		expect(byId(await tablet.db.referrals.toArray())).toEqual(
			byId(await store.syncRecords.listReferralsByBus(bus.id))
		);
		const serverDays = (await store.serviceDays.listByStop('fs-1-ahun')).map(
			({ revision: _revision, editedAt: _editedAt, ...day }) => day
		);
		expect(byId(await tablet.db.serviceDays.toArray())).toEqual(byId(serverDays));
		checksAnswered += tablet.received.filter(isCheck).length;
		rangeChecksAnswered += tablet.received.filter(isRangeCheck).length;
	} finally {
		await store.close();
	}
}

describe('sync under a faulty network and client restarts', () => {
	it('ends with every committed record on the server exactly once and both views equal', async () => {
		await fc.assert(fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 25 }), runScenario), {
			numRuns: 40,
			// Always among the runs, whatever the random ones draw: an answer lost, then the backlog asked about
			// (a range check), so the assertions below hold for every seed (one seed once drew no range check).
			examples: [
				[
					[
						{ kind: 'visit' },
						{ kind: 'visit' },
						{ kind: 'sync', faults: ['dropResponse'] },
						{ kind: 'visit' },
						{ kind: 'sync', faults: ['none'] }
					]
				]
			]
		});
		// Lost answers are among the faults: the runs went through the check path, not only full pushes.
		expect(checksAnswered).toBeGreaterThan(0);
		expect(rangeChecksAnswered).toBeGreaterThan(0);
	}, 120_000);
});
