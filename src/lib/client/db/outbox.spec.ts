import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	acknowledge,
	countPending,
	enqueue,
	isPending,
	listPendingEntityIds,
	listPending,
	listRejected,
	markRejected,
	oldestPendingAt,
	outboxTables,
	renumberForNewDevice,
	renumberPendingFrom
} from './outbox';
import { openTestDb } from './testing';
import { makeVisit } from '$factories/visit';
import { recordVisit } from './visits';
import type { EscaleDb } from './schema';

/** Records `count` visits, one minute apart from `start`; returns their ids in order. */
async function recordVisits(db: EscaleDb, count: number, start = Date.parse('2026-03-10T08:00:00.000Z')) {
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		const visit = await recordVisit(db, makeVisit(), new Date(start + i * 60_000));
		ids.push(visit.id);
	}
	return ids;
}

async function pendingIds(db: EscaleDb): Promise<number[]> {
	return (await listPending(db, 1000)).map((entry) => entry.mutationId);
}

describe('outbox', () => {
	it('keeps mutations in the order they were recorded, with increasing mutation ids', async () => {
		const db = openTestDb();
		const visitIds = await recordVisits(db, 3);
		const pending = await listPending(db, 10);
		expect(pending.map((entry) => entry.entityId)).toEqual(visitIds);
		expect(pending.map((entry) => entry.mutationId)).toEqual([1, 2, 3]);
	});

	it('lists at most `limit` pending mutations, oldest first', async () => {
		const db = openTestDb();
		const visitIds = await recordVisits(db, 5);
		expect((await listPending(db, 2)).map((entry) => entry.entityId)).toEqual(visitIds.slice(0, 2));
	});

	it('gives distinct ids in queue order to visits recorded at the same moment', async () => {
		const db = openTestDb();
		await Promise.all(Array.from({ length: 10 }, () => recordVisit(db, makeVisit())));
		expect(await pendingIds(db)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
	});

	it('removes exactly the acknowledged mutations, and a replayed acknowledgement changes nothing', async () => {
		const db = openTestDb();
		await recordVisits(db, 5);
		expect(await acknowledge(db, 3)).toBe(3);
		expect(await pendingIds(db)).toEqual([4, 5]);
		expect(await acknowledge(db, 3)).toBe(0);
		expect(await pendingIds(db)).toEqual([4, 5]);
	});

	it('never reuses a mutation id after the queue drained', async () => {
		const db = openTestDb();
		await recordVisits(db, 2);
		await acknowledge(db, 2);
		await recordVisits(db, 1);
		expect(await pendingIds(db)).toEqual([3]);
	});

	it('counts pending mutations and tells when the oldest was recorded', async () => {
		const db = openTestDb();
		expect([await countPending(db), await oldestPendingAt(db)]).toEqual([0, null]);

		await recordVisits(db, 3, Date.parse('2026-03-10T08:00:00.000Z'));
		expect(await countPending(db)).toBe(3);
		expect(await oldestPendingAt(db)).toEqual(new Date('2026-03-10T08:00:00.000Z'));

		await acknowledge(db, 1);
		expect(await countPending(db)).toBe(2);
		expect(await oldestPendingAt(db)).toEqual(new Date('2026-03-10T08:01:00.000Z'));
	});

	it('takes a rejected mutation out of the queue but keeps it, with its reason, past acknowledgement', async () => {
		const db = openTestDb();
		const visitIds = await recordVisits(db, 3);
		expect(await markRejected(db, 2, 'serviceDayUnknown')).toBe(1);

		expect(await pendingIds(db)).toEqual([1, 3]);
		await acknowledge(db, 3);
		expect(await countPending(db)).toBe(0);
		expect(await listRejected(db)).toMatchObject([
			{ mutationId: 2, entityId: visitIds[1], status: 'rejected', rejectedReason: 'serviceDayUnknown' }
		]);
	});

	it('tells whether a record still waits to be sent', async () => {
		const db = openTestDb();
		const [first, second] = await recordVisits(db, 2);
		await acknowledge(db, 1);
		expect([await isPending(db, first!), await isPending(db, second!)]).toEqual([false, true]);
	});

	it('lists the records still waiting, not the acknowledged or rejected ones', async () => {
		const db = openTestDb();
		const [, second] = await recordVisits(db, 3);
		await acknowledge(db, 1);
		await markRejected(db, 3, 'serviceDayUnknown');
		expect([...(await listPendingEntityIds(db))]).toEqual([second]);
	});

	it('refuses to queue outside a transaction that holds the outbox', async () => {
		const db = openTestDb();
		const visit = makeVisit();
		const queueAlone = db.transaction('rw', db.visits, (tx) =>
			enqueue(tx, { kind: 'visit.create', entityId: visit.id, payload: visit, createdAt: visit.recordedAt })
		);
		await expect(queueAlone).rejects.toThrow(/enqueue needs a 'rw' transaction over outboxTables/);
		expect(await db.outbox.count()).toBe(0);
	});

	it('keeps ids increasing and acknowledges exactly what it is told, whatever the sequence of steps', async () => {
		type Step = { record: number } | { acknowledgeUpTo: number } | { reject: number };
		const step: fc.Arbitrary<Step> = fc.oneof(
			fc.record({ record: fc.integer({ min: 1, max: 3 }) }),
			fc.record({ acknowledgeUpTo: fc.integer({ min: 0, max: 12 }) }),
			fc.record({ reject: fc.integer({ min: 1, max: 12 }) })
		);
		await fc.assert(
			fc.asyncProperty(fc.array(step, { maxLength: 8 }), async (steps) => {
				const db = openTestDb();
				// The model: the ids still pending and the rejected ones, as a server-less queue should keep them.
				let issued = 0;
				let pending: number[] = [];
				let rejected: number[] = [];
				for (const s of steps) {
					if ('record' in s) {
						await recordVisits(db, s.record);
						pending.push(...Array.from({ length: s.record }, () => ++issued));
					} else if ('acknowledgeUpTo' in s) {
						await acknowledge(db, s.acknowledgeUpTo);
						pending = pending.filter((id) => id > s.acknowledgeUpTo);
					} else if (pending.includes(s.reject)) {
						await markRejected(db, s.reject, 'test');
						pending = pending.filter((id) => id !== s.reject);
						rejected = [...rejected, s.reject].sort((a, b) => a - b);
					}
				}
				expect(await pendingIds(db)).toEqual(pending);
				expect((await listRejected(db)).map((entry) => entry.mutationId)).toEqual(rejected);
				db.close();
			}),
			{ numRuns: 40 }
		);
	});

	it('numbers the pending queue from 1 for a new device identity, in queue order, and keeps rejected ones', async () => {
		const db = openTestDb();
		const ids = await recordVisits(db, 4);
		await acknowledge(db, 1);
		await markRejected(db, 3, 'out_of_scope');
		await db.transaction('rw', outboxTables(db), (tx) => renumberForNewDevice(tx));
		const pending = await listPending(db, 10);
		expect(pending.map((entry) => [entry.mutationId, entry.entityId])).toEqual([
			[1, ids[1]],
			[2, ids[3]]
		]);
		expect((await listRejected(db)).map((entry) => entry.entityId)).toEqual([ids[2]]);
		const next = await db.transaction('rw', outboxTables(db), (tx) =>
			enqueue(tx, {
				kind: 'visit.create',
				entityId: 'x',
				payload: makeVisit(),
				createdAt: '2026-03-10T09:00:00.000Z'
			})
		);
		expect(next).toBe(3);
	});

	it('numbers the pending queue on from the server ledger after id_reused, moving rejected ids out of the way', async () => {
		const db = openTestDb();
		const ids = await recordVisits(db, 5);
		await acknowledge(db, 1);
		await markRejected(db, 2, 'not_found');
		await markRejected(db, 4, 'conflict');
		// The server's ledger is at 3: pending 3 and 5 become 4 and 5, the rejected 4 steps aside.
		await db.transaction('rw', outboxTables(db), (tx) => renumberPendingFrom(tx, 4));
		expect((await listPending(db, 10)).map((entry) => [entry.mutationId, entry.entityId])).toEqual([
			[4, ids[2]],
			[5, ids[4]]
		]);
		expect((await listRejected(db)).map((entry) => [entry.mutationId, entry.entityId])).toEqual([
			[2, ids[1]],
			[-4, ids[3]]
		]);
		expect(await recordVisit(db, makeVisit()).then(() => pendingIds(db))).toEqual([4, 5, 6]);
	});

	it('counts on from the highest queued id when its counter was cleared, never reusing a queued id', async () => {
		const db = openTestDb();
		await recordVisits(db, 3);
		await db.meta.clear();
		await recordVisits(db, 2);
		expect(await pendingIds(db)).toEqual([1, 2, 3, 4, 5]);
	});
});
