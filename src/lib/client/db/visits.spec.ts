import Dexie from 'dexie';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { getMeta } from './meta';
import { InvalidRecordError, StorageFullError, StorageUnavailableError } from './errors';
import { countPending, listPending } from './outbox';
import { failNextWrite, openTestDb } from './testing';
import { makeVisit } from '$factories/visit';
import { getVisit, listVisitsOfServiceDay, recordVisit } from './visits';
import type { EscaleDb } from './schema';

async function rowCounts(db: EscaleDb) {
	return {
		visits: await db.visits.count(),
		outbox: await db.outbox.count(),
		lastMutationId: await getMeta(db, 'outbox.lastMutationId')
	};
}
const NOTHING_WRITTEN = { visits: 0, outbox: 0, lastMutationId: undefined };

describe('recordVisit', () => {
	it('writes the visit and its outbox entry together', async () => {
		const db = openTestDb();
		const visit = makeVisit();
		const now = new Date('2026-03-10T08:15:02.000Z');

		expect(await recordVisit(db, visit, now)).toEqual(visit);

		expect(await getVisit(db, visit.id)).toEqual(visit);
		expect(await listPending(db, 10)).toEqual([
			{
				seq: 1,
				mutationId: 1,
				kind: 'visit.create',
				entityId: visit.id,
				payload: visit,
				createdAt: '2026-03-10T08:15:02.000Z',
				schemaVersion: 1,
				status: 'pending',
				rejectedReason: null,
				digest: expect.stringMatching(/^[0-9a-f]{16}$/)
			}
		]);
	});

	it('resolves only once committed: another connection sees both rows', async () => {
		const factory = new IDBFactory();
		const visit = makeVisit();
		await recordVisit(openTestDb(factory), visit);

		const otherTab = openTestDb(factory);
		expect(await getVisit(otherTab, visit.id)).toEqual(visit);
		expect(await countPending(otherTab)).toBe(1);
	});

	it('refuses a visit carrying a name before anything is written, without repeating the key', async () => {
		const db = openTestDb();
		const error = await recordVisit(db, { ...makeVisit(), Martin: 'Jeanne' }).catch((e: unknown) => e);

		expect(error).toBeInstanceOf(InvalidRecordError);
		// The path names the object holding the key: a key the schema does not know could itself be a name.
		expect((error as InvalidRecordError).issues.map((issue) => issue.path)).toEqual(['']);
		expect(JSON.stringify((error as InvalidRecordError).issues)).not.toContain('Martin');
		expect((error as InvalidRecordError).message).not.toContain('Jeanne');
		expect(await rowCounts(db)).toEqual(NOTHING_WRITTEN);
	});

	it('refuses a request with an unknown partner, naming requests.0.partner', async () => {
		const db = openTestDb();
		const visit = makeVisit({ requests: [{ partner: 'NOPE', theme: 'family', outcome: 'resolved' }] });
		await expect(recordVisit(db, visit)).rejects.toMatchObject({
			issues: [{ path: 'requests.0.partner' }]
		});
		expect(await rowCounts(db)).toEqual(NOTHING_WRITTEN);
	});

	it('writes neither row when the disk fills on the outbox write, and says storage is full', async () => {
		const db = openTestDb();
		failNextWrite('outbox', 'QuotaExceededError');

		await expect(recordVisit(db, makeVisit())).rejects.toBeInstanceOf(StorageFullError);
		expect(await rowCounts(db)).toEqual(NOTHING_WRITTEN);
	});

	it('writes neither row when the disk fills on the visit write', async () => {
		const db = openTestDb();
		failNextWrite('visits', 'QuotaExceededError');

		await expect(recordVisit(db, makeVisit())).rejects.toBeInstanceOf(StorageFullError);
		expect(await rowCounts(db)).toEqual(NOTHING_WRITTEN);
	});

	it("reports Chrome's disk errors as storage unavailable, with nothing written", async () => {
		const db = openTestDb();
		failNextWrite('outbox', 'UnknownError');

		await expect(recordVisit(db, makeVisit())).rejects.toBeInstanceOf(StorageUnavailableError);
		expect(await rowCounts(db)).toEqual(NOTHING_WRITTEN);
	});

	it('reports storage unavailable once the database was closed for an upgrade in another tab', async () => {
		const db = openTestDb();
		await db.open();
		db.close();
		const error = await recordVisit(db, makeVisit()).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(StorageUnavailableError);
		expect((error as StorageUnavailableError).cause).toBeInstanceOf(Dexie.DatabaseClosedError);
	});

	it('keeps the first visit when the outbox refuses the second midway, and writes nothing of the second', async () => {
		const db = openTestDb();
		await recordVisit(db, makeVisit());
		// A counter gone back (a bug, a bad restore) would reuse mutation id 2: the unique index refuses it.
		await db.outbox.add({ ...(await listPending(db, 1))[0]!, seq: 99, mutationId: 2 });

		const second = makeVisit();
		await expect(recordVisit(db, second)).rejects.toThrow(Dexie.ConstraintError);
		expect(await getVisit(db, second.id)).toBeUndefined();
		expect(await db.visits.count()).toBe(1);
		expect(await getMeta(db, 'outbox.lastMutationId')).toBe(1);
	});

	it('refuses to record the same visit twice, keeping one row and one outbox entry', async () => {
		const db = openTestDb();
		const visit = makeVisit();
		await recordVisit(db, visit);
		await expect(recordVisit(db, visit)).rejects.toThrow(Dexie.ConstraintError);
		expect(await rowCounts(db)).toEqual({ visits: 1, outbox: 1, lastMutationId: 1 });
	});
});

describe('listVisitsOfServiceDay', () => {
	it("lists one service day's visits in the order they were recorded", async () => {
		const db = openTestDb();
		const late = makeVisit({ recordedAt: '2026-03-10T10:00:00.000Z' });
		const early = makeVisit({ recordedAt: '2026-03-10T08:00:00.000Z' });
		const otherDay = makeVisit({ serviceDayId: 'fs-1-marche@2026-03-17' });
		for (const visit of [late, otherDay, early]) await recordVisit(db, visit);

		expect(await listVisitsOfServiceDay(db, 'fs-1-marche@2026-03-10')).toEqual([early, late]);
	});
});
