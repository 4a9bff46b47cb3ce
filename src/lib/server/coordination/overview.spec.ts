import { describe, expect, it } from 'vitest';
import type { Circuit, ServiceDay, Stop } from '$lib/domain/schedule';
import { makeBus } from '$factories/bus';
import { makeCircuitRule, makeServiceDay, makeStop } from '$factories/schedule';
import { openTestStore } from '$factories/store';
import type { Store } from '../store/store';
import { readCoordinationOverview } from './overview';

const NOW = new Date('2026-03-10T09:00:00.000Z');

const stop = (busId: string): Stop => makeStop({ id: `${busId}-stop`, busId });

const circuit = (busId: string): Circuit =>
	({
		id: `${busId}-circuit`,
		busId,
		name: 'Itinérance',
		rules: [
			makeCircuitRule({
				id: `${busId}-tue`,
				stopId: `${busId}-stop`,
				recurrence: { kind: 'weekly', weekdays: [2] },
				validFrom: '2026-01-01'
			})
		]
	}) as Circuit;

const day = (busId: string, date: string, status: ServiceDay['status'] = 'planned'): ServiceDay =>
	makeServiceDay({
		id: `${busId}@${date}`,
		busId,
		stopId: `${busId}-stop`,
		ruleId: `${busId}-tue`,
		date,
		status,
		reason: status === 'cancelled' ? 'Imprévu' : null
	});

/** `count` buses with a circuit, days (one past, two coming, one of them cancelled), a tablet and two refusals. */
async function networkOf(count: number): Promise<Store> {
	const store = await openTestStore({ now: () => NOW.toISOString() });
	const ids = Array.from({ length: count }, (_, i) => `fs-${i + 1}`);
	await store.buses.upsertMany(ids.map((id) => makeBus({ id, name: `Bus ${id}` })));
	await store.stops.upsertMany(ids.map(stop));
	await store.circuits.upsertMany(ids.map(circuit));
	await store.serviceDays.upsertGenerated(
		ids.flatMap((id) => [day(id, '2026-03-03'), day(id, '2026-03-10'), day(id, '2026-03-17', 'cancelled')])
	);
	for (const id of ids) {
		const deviceId = `dev-${id}-tablet0`;
		await store.devices.insert({
			id: deviceId,
			busId: id,
			secretHash: '0'.repeat(64),
			appVersion: '1.0.0',
			createdAt: NOW.toISOString(),
			revokedAt: null,
			lastMutationId: 0,
			lastSeenAt: null
		});
		for (const mutationId of [1, 2]) {
			await store.syncRecords.insertRejection({
				deviceId,
				busId: id,
				mutationId,
				kind: 'visit.create',
				entityId: null,
				reason: 'invalid_payload',
				detail: null,
				payload: 'null',
				at: `2026-03-10T08:0${mutationId}:00.000Z`
			});
		}
	}
	return store;
}

/** The store, with every repository method call written down as `repository.method`. */
function counting(store: Store): { store: Store; calls: string[] } {
	const calls: string[] = [];
	const wrapped = new Proxy(store, {
		get(target, name) {
			const repository: unknown = Reflect.get(target, name, target);
			if (typeof repository !== 'object' || repository === null) return repository;
			return new Proxy(repository, {
				get(repo, method) {
					const value: unknown = Reflect.get(repo, method, repo);
					if (typeof value !== 'function') return value;
					return (...args: unknown[]) => {
						calls.push(`${String(name)}.${String(method)}`);
						return (value as (...a: unknown[]) => unknown).apply(repo, args);
					};
				}
			});
		}
	});
	return { store: wrapped, calls };
}

describe('readCoordinationOverview', () => {
	it('reads the store the same number of times for 2 buses and for 50', async () => {
		const small = counting(await networkOf(2));
		const large = counting(await networkOf(50));

		const two = await readCoordinationOverview(small.store, { all: true }, [], NOW);
		const fifty = await readCoordinationOverview(large.store, { all: true }, [], NOW);

		expect(two.planned).toHaveLength(2);
		expect(fifty.planned).toHaveLength(50);
		expect(fifty.rejections).toHaveLength(100);
		expect(large.calls).toEqual(small.calls);
		// Buses, circuits, days counted, check-ins counted, refusals, off-plan days, tablets.
		expect(small.calls.length).toBeLessThanOrEqual(7);
	});

	it("counts each bus's coming days and cancellations, and lists its refusals newest first", async () => {
		const overview = await readCoordinationOverview(await networkOf(2), { all: true }, [], NOW);

		expect(overview.busCount).toBe(2);
		expect(overview.planned).toEqual([
			expect.objectContaining({ id: 'fs-1', rules: 1, serviceDays: 2, cancelled: 1 }),
			expect.objectContaining({ id: 'fs-2', rules: 1, serviceDays: 2, cancelled: 1 })
		]);
		expect(overview.rejections.map((r) => `${r.busName}/${r.mutationId}`)).toEqual([
			'Bus fs-1/2',
			'Bus fs-1/1',
			'Bus fs-2/2',
			'Bus fs-2/1'
		]);
		expect(overview.devices.map((d) => d.busName)).toEqual(['Bus fs-1', 'Bus fs-2']);
	});

	it('lists the off-plan days of the last two weeks, newest first, with their place, within the scope', async () => {
		const store = await networkOf(2);
		const opened = (busId: string, date: string) => ({
			...makeServiceDay({ id: `${busId}-hc-x@${date}`, busId, stopId: `${busId}-hc-x`, ruleId: null, date }),
			status: 'held' as const
		});
		await store.stops.upsertMany(
			['fs-1', 'fs-2'].map((busId) =>
				makeStop({ id: `${busId}-hc-x`, busId, commune: 'Guéret', place: 'Parking', offPlan: true })
			)
		);
		for (const [busId, date] of [
			['fs-1', '2026-03-09'],
			['fs-2', '2026-03-10'],
			['fs-1', '2026-02-01']
		] as const) {
			await store.serviceDays.insertOffPlan(
				{ ...opened(busId, date), id: `${busId}-hc-x@${date}` },
				NOW.toISOString()
			);
		}

		const all = await readCoordinationOverview(store, { all: true }, [], NOW);
		expect(all.offPlan.map((d) => `${d.busName} ${d.date} ${d.commune}, ${d.place} ${d.status}`)).toEqual([
			'Bus fs-2 2026-03-10 Guéret, Parking held',
			'Bus fs-1 2026-03-09 Guéret, Parking held'
		]);
		const one = await readCoordinationOverview(store, { all: false, busIds: new Set(['fs-1']) }, [], NOW);
		expect(one.offPlan.map((d) => d.busName)).toEqual(['Bus fs-1']);
	});

	it('keeps to the scope: a bus outside it is neither counted nor listed', async () => {
		const overview = await readCoordinationOverview(
			await networkOf(2),
			{ all: false, busIds: new Set(['fs-2']) },
			[],
			NOW
		);

		expect(overview.planned.map((bus) => bus.id)).toEqual(['fs-2']);
		expect(overview.rejections.every((r) => r.busName === 'Bus fs-2')).toBe(true);
		expect(overview.devices.map((d) => d.busName)).toEqual(['Bus fs-2']);
	});
});
