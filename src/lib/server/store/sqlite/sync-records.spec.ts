/**
 * The batch-shaped reads and writes a push uses (one round trip per batch instead of one per mutation),
 * on a real in-memory SQLite store.
 */
import { describe, expect, it } from 'vitest';
import { parseVisit, type Visit } from '$lib/domain/visit';
import { A, enrollDevice, openFixtureStore } from '$factories/sync';
import { visit } from '$factories/records';
import type { RejectedMutationRecord } from '../store';

const AT = '2026-03-10T09:00:00.000Z';

function validVisit(serviceDayId: string = A.days[0]): Visit {
	const parsed = parseVisit(visit(A.bus, serviceDayId));
	if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
	return parsed.value;
}

const entry = (v: Visit) => ({ visit: v, json: JSON.stringify(v) });

function rejection(deviceId: string, mutationId: number): RejectedMutationRecord {
	return {
		deviceId,
		busId: A.bus,
		mutationId,
		kind: 'visit.create',
		entityId: `entity-${mutationId}`,
		reason: 'out_of_scope',
		detail: `détail ${mutationId}`,
		payload: 'null',
		at: AT
	};
}

describe('visits by batch', () => {
	it('inserts visits in one call and reads back, by id, only those stored', async () => {
		const store = await openFixtureStore();
		try {
			const { deviceId } = await enrollDevice(store, A.bus);
			const [v1, v2, v3] = [validVisit(), validVisit(A.days[1]), validVisit()];
			await store.syncRecords.insertVisits([entry(v1), entry(v2)], deviceId, AT);

			const found = await store.syncRecords.getVisits([v3.id, v1.id, v2.id, "it's-not-stored"]);
			expect([...found.keys()].sort()).toEqual([v1.id, v2.id].sort());
			expect(found.get(v1.id)).toEqual({ busId: A.bus, json: JSON.stringify(v1) });
			expect(found.get(v2.id)).toEqual(await store.syncRecords.getVisit(v2.id));
			expect((await store.syncRecords.getVisits([])).size).toBe(0);
			expect((await store.syncStats.countRows()).visits).toBe(2);
		} finally {
			await store.close();
		}
	});

	it('reads more ids than SQLite takes bound parameters in one statement', async () => {
		const store = await openFixtureStore();
		try {
			const { deviceId } = await enrollDevice(store, A.bus);
			const stored = Array.from({ length: 40 }, () => validVisit());
			await store.syncRecords.insertVisits(stored.map(entry), deviceId, AT);
			const unknown = Array.from({ length: 40_000 }, (_, i) => `unknown-${i}`);

			const found = await store.syncRecords.getVisits([...unknown, ...stored.map((v) => v.id)]);
			expect(found.size).toBe(40);
		} finally {
			await store.close();
		}
	});

	it('inserts all the visits or none, alone or inside a transaction', async () => {
		const store = await openFixtureStore();
		try {
			const { deviceId } = await enrollDevice(store, A.bus);
			const [v1, v2] = [validVisit(), validVisit()];
			// The same id twice: the second insert fails, the first must not stay.
			await expect(
				store.syncRecords.insertVisits([entry(v1), entry(v2), entry(v1)], deviceId, AT)
			).rejects.toThrow();
			expect((await store.syncStats.countRows()).visits).toBe(0);

			await expect(
				store.transaction(async (tx) => {
					await tx.syncRecords.insertVisits([entry(v1)], deviceId, AT);
					await tx.syncRecords.insertVisits([entry(v2), entry(v2)], deviceId, AT);
				})
			).rejects.toThrow();
			expect((await store.syncStats.countRows()).visits).toBe(0);

			await store.syncRecords.insertVisits([], deviceId, AT);
			await store.transaction(async (tx) => {
				await tx.syncRecords.insertVisits([entry(v1)], deviceId, AT);
				// Inside the transaction, a read sees what the batch wrote before it.
				expect((await tx.syncRecords.getVisits([v1.id])).has(v1.id)).toBe(true);
			});
			expect((await store.syncStats.countRows()).visits).toBe(1);
		} finally {
			await store.close();
		}
	});
});

describe('rejections by batch', () => {
	it("reads a device's rejections among many mutation ids in one call, and no other device's", async () => {
		const store = await openFixtureStore();
		try {
			const first = await enrollDevice(store, A.bus);
			const second = await enrollDevice(store, A.bus);
			await store.syncRecords.insertRejection(rejection(first.deviceId, 2));
			await store.syncRecords.insertRejection(rejection(first.deviceId, 5));
			await store.syncRecords.insertRejection(rejection(second.deviceId, 3));

			const found = await store.syncRecords.getRejections(first.deviceId, [1, 2, 3, 4, 5, 6]);
			expect([...found.keys()].sort()).toEqual([2, 5]);
			expect(found.get(5)).toEqual(rejection(first.deviceId, 5));
			expect(found.get(2)).toEqual(await store.syncRecords.getRejection(first.deviceId, 2));
			expect((await store.syncRecords.getRejections(second.deviceId, [2, 3])).get(3)?.deviceId).toBe(
				second.deviceId
			);
			expect((await store.syncRecords.getRejections(first.deviceId, [])).size).toBe(0);
			const many = Array.from({ length: 5000 }, (_, i) => i + 1);
			expect((await store.syncRecords.getRejections(first.deviceId, many)).size).toBe(2);
		} finally {
			await store.close();
		}
	});
});

describe('mutation digests', () => {
	it('are read back by mutation id for one device only, and written all or none', async () => {
		const store = await openFixtureStore();
		try {
			const [a, b] = [await enrollDevice(store, A.bus), await enrollDevice(store, A.bus)];
			const digest = (n: number) => n.toString(16).padStart(64, '0');
			await store.syncRecords.insertMutationDigests(a.deviceId, [
				{ mutationId: 1, digest: digest(1) },
				{ mutationId: 2, digest: digest(2) }
			]);
			await store.syncRecords.insertMutationDigests(b.deviceId, [{ mutationId: 1, digest: digest(9) }]);

			const found = await store.syncRecords.getMutationDigests(a.deviceId, [2, 1, 3]);
			expect([...found.entries()].sort()).toEqual([
				[1, digest(1)],
				[2, digest(2)]
			]);
			await expect(
				store.syncRecords.insertMutationDigests(a.deviceId, [
					{ mutationId: 3, digest: digest(3) },
					{ mutationId: 1, digest: digest(4) }
				])
			).rejects.toThrow();
			expect((await store.syncStats.countRows()).mutation_digests).toBe(3);
		} finally {
			await store.close();
		}
	});

	it('are found alike for ids that follow each other (read as a range) and for ids spread thinly (read one by one)', async () => {
		const store = await openFixtureStore();
		try {
			const device = await enrollDevice(store, A.bus);
			const digest = (n: number) => n.toString(16).padStart(64, '0');
			const stored = [1, 2, 3, 4, 1_000, 50_000];
			await store.syncRecords.insertMutationDigests(
				device.deviceId,
				stored.map((mutationId) => ({ mutationId, digest: digest(mutationId) }))
			);
			const read = async (ids: number[]) =>
				[...(await store.syncRecords.getMutationDigests(device.deviceId, ids)).keys()].sort((a, b) => a - b);
			expect(await read([2, 3, 4, 5])).toEqual([2, 3, 4]);
			expect(await read([4, 2])).toEqual([2, 4]);
			expect(await read([1, 1_000, 50_000, 70_000])).toEqual([1, 1_000, 50_000]);
		} finally {
			await store.close();
		}
	});
});

describe('crew reports', () => {
	it('are found again by their content, whichever tablet sent them', async () => {
		const store = await openFixtureStore();
		try {
			const { deviceId } = await enrollDevice(store, A.bus);
			const report = {
				serviceDayId: A.days[0],
				report: 'late' as const,
				delayMinutes: 20,
				reason: null,
				at: AT
			};
			expect(await store.syncRecords.hasServiceDayReport(report)).toBe(false);
			await store.syncRecords.reportServiceDay({ ...report, busId: A.bus, deviceId }, 'held', null, AT);
			expect(await store.syncRecords.hasServiceDayReport(report)).toBe(true);
			expect(await store.syncRecords.hasServiceDayReport({ ...report, delayMinutes: 30 })).toBe(false);
			expect(await store.syncRecords.hasServiceDayReport({ ...report, reason: 'breakdown' })).toBe(false);
		} finally {
			await store.close();
		}
	});
});
