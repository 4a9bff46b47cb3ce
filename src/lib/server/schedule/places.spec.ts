import { describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/seed';
import { storeForEachTest } from '$factories/each-test';
import type { Store } from '../store/store';
import { communesAround, distanceKm, listServedStops, readCommune, readStop, searchCommunes } from './places';

let store: Store;
const NOW = new Date('2026-11-30T06:00:00.000Z');
storeForEachTest((opened) => (store = opened), { seed: (opened) => seedDemo(opened, '2026-11-27') });

describe('the public places', () => {
	it('finds a served commune typed without its accent, with Saint abbreviated, or by postal code', async () => {
		for (const query of ['st aout', 'Saint-Aout', 'SAINT AOÛT']) {
			const found = await searchCommunes(store, query, NOW);
			expect(found[0], query).toMatchObject({ name: 'Saint-Août', insee: '36180', slug: 'saint-aout-36180' });
		}
		// Two communes share 36120: both, by name.
		expect((await searchCommunes(store, '36120', NOW)).map((c) => c.name)).toEqual([
			'Pruniers',
			'Saint-Août'
		]);
		const [monthois] = await searchCommunes(store, 'montois', NOW);
		expect(monthois?.next).toMatchObject({
			date: expect.stringMatching(/^2026-1[12]-\d\d$/),
			busName: expect.any(String)
		});
		expect(await searchCommunes(store, 'Zzyzx', NOW)).toEqual([]);
		expect(await searchCommunes(store, ' ', NOW)).toEqual([]);
	});

	it('lists the communes around a position, nearest first, within the radius', async () => {
		const stop = await readStop(store, 'fs-2394-saint-aout', NOW);
		expect(stop).not.toBeNull();
		const around = await communesAround(store, { latitude: stop!.latitude, longitude: stop!.longitude }, NOW);
		expect(around[0]).toMatchObject({ name: 'Saint-Août', distanceKm: 0 });
		const distances = around.map((commune) => commune.distanceKm ?? Infinity);
		expect(distances).toEqual([...distances].sort((a, b) => a - b));
		expect(distances.every((km) => km <= 40)).toBe(true);
		expect(await communesAround(store, { latitude: 0, longitude: 0 }, NOW)).toEqual([]);
	});

	it('reads a commune and a stop with their coming days and nothing but schedule fields', async () => {
		const commune = await readCommune(store, '36180', NOW);
		expect(commune?.stops).toHaveLength(1);
		const [stop] = commune!.stops;
		expect(stop!.days.length).toBeGreaterThan(0);
		expect(stop!.days.every((day) => day.date >= '2026-11-30')).toBe(true);
		expect(Object.keys(stop!.bus).sort()).toEqual(['id', 'name', 'phone', 'timeZone']);
		expect(await readCommune(store, '99999', NOW)).toBeNull();
		expect(await readStop(store, 'no-such-stop', NOW)).toBeNull();
	});

	it('lists every served stop with its bus in two reads, as reading bus by bus does', async () => {
		const byBus = [];
		for (const bus of await store.buses.list()) {
			for (const stop of await store.stops.listByBus(bus.id)) byBus.push({ stop, bus });
		}
		expect(byBus.length).toBeGreaterThan(30);
		expect(await listServedStops(store)).toEqual(byBus);
	});

	it("finds each commune's next day in one read of service days, the same as reading stop by stop", async () => {
		const reads: string[] = [];
		const counted: Store = Object.create(store, {
			serviceDays: {
				value: new Proxy(store.serviceDays, {
					get: (target, name, receiver) => {
						const value: unknown = Reflect.get(target, name, receiver);
						if (typeof value !== 'function') return value;
						return (...args: unknown[]) => {
							reads.push(String(name));
							return (value as (...a: unknown[]) => unknown).apply(target, args);
						};
					}
				})
			}
		});
		const found = await searchCommunes(counted, 'saint', NOW, 100);
		expect(found.length).toBeGreaterThan(3);
		expect(reads).toEqual(['listByStops']);
		// Stop by stop: the first day of each stop from its bus's today over the 12 weeks, the earliest of the commune's.
		for (const commune of found) {
			const expected = await readCommune(store, commune.insee, NOW);
			const firsts = expected!.stops.flatMap((stop) =>
				stop.days[0] ? [{ ...stop.days[0], place: stop.place, busName: stop.bus.name }] : []
			);
			firsts.sort((a, b) => a.date.localeCompare(b.date) || a.start.localeCompare(b.start));
			expect(commune.next, commune.name).toEqual(firsts[0] ?? null);
		}
	});

	it('measures distances on the sphere', () => {
		// Paris to Lyon: about 392 km.
		expect(
			distanceKm({ latitude: 48.8566, longitude: 2.3522 }, { latitude: 45.764, longitude: 4.8357 })
		).toBeCloseTo(392, -1);
	});
});
