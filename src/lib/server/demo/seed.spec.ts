import { getDate, getISODay, getISOWeek, parseISO } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { storeForEachTest } from '$factories/each-test';
import type { Store, StoredServiceDay } from '../store/store';
import { demoWindowEnd, seedDemo } from './seed';

const TODAY = '2026-11-27';
const DEMO_BUSES = ['fs-2023', 'fs-2394', 'fs-47', 'fs-2910'];

let store: Store;
storeForEachTest((opened) => (store = opened));

async function listDemoDays(
	target: Store,
	from = TODAY,
	to = demoWindowEnd(TODAY)
): Promise<StoredServiceDay[]> {
	const days = await Promise.all(
		DEMO_BUSES.map((busId) => target.serviceDays.listByBus(busId, { from, to }))
	);
	return days.flat();
}

/** Everything the demo writes, as the store gives it back. */
async function snapshot(target: Store) {
	const buses = await target.buses.list();
	const perBus = await Promise.all(
		DEMO_BUSES.map(async (busId) => ({
			stops: await target.stops.listByBus(busId),
			circuits: await target.circuits.listByBus(busId)
		}))
	);
	return { buses, perBus, days: await listDemoDays(target), seededAt: await target.meta.get('demoSeededAt') };
}

describe('the demo seeding', () => {
	it('stores the 163 mobile France services of the national list as buses', async () => {
		await seedDemo(store, TODAY);

		const buses = await store.buses.list();
		expect(buses).toHaveLength(163);
		expect(buses.filter((bus) => bus.kind === 'itinerant')).toHaveLength(29);
		expect(await store.buses.get('fs-2910')).toMatchObject({
			name: 'Bus France services Grand Sud Caraïbe',
			territory: 'guadeloupe',
			timeZone: 'America/Guadeloupe',
			homeInsee: '97105'
		});
		expect(await store.buses.get('fs-2394')).toMatchObject({
			territory: 'metropole',
			timeZone: 'Europe/Paris'
		});
	});

	it('generates service days for the four circuits, only within the next 12 weeks', async () => {
		const summary = await seedDemo(store, TODAY);

		expect(summary).toMatchObject({ buses: 163, circuits: 4 });
		for (const busId of DEMO_BUSES) {
			const days = await store.serviceDays.listByBus(busId, { from: '2000-01-01', to: '2100-01-01' });
			expect(days.length, busId).toBeGreaterThan(0);
			for (const day of days)
				expect(day.date >= TODAY && day.date <= demoWindowEnd(TODAY), day.id).toBe(true);
		}
	});

	it('puts the Ruffécois on odd and even ISO weeks as its operator describes', async () => {
		await seedDemo(store, TODAY);
		const days = await store.serviceDays.listByBus('fs-2023', { from: TODAY, to: demoWindowEnd(TODAY) });
		const odd = days.filter((day) => day.ruleId?.startsWith('fs-2023-odd-'));
		const even = days.filter((day) => day.ruleId?.startsWith('fs-2023-even-'));

		expect(odd.length).toBeGreaterThan(0);
		expect(even.length).toBeGreaterThan(0);
		for (const day of odd) expect(getISOWeek(parseISO(day.date)) % 2, day.id).toBe(1);
		for (const day of even) expect(getISOWeek(parseISO(day.date)) % 2, day.id).toBe(0);
	});

	it('brings La Rur@linette to Saint-Août on the 2nd Tuesday of each month', async () => {
		await seedDemo(store, TODAY);
		const days = await store.serviceDays.listByStop('fs-2394-saint-aout');

		expect(days.length).toBeGreaterThanOrEqual(2);
		for (const day of days) {
			expect(getISODay(parseISO(day.date)), day.id).toBe(2);
			expect(getDate(parseISO(day.date)), day.id).toBeGreaterThanOrEqual(8);
			expect(getDate(parseISO(day.date)), day.id).toBeLessThanOrEqual(14);
		}
	});

	it('shows a cancelled and a moved day, each with a reason', async () => {
		const summary = await seedDemo(store, TODAY);
		const days = await listDemoDays(store);

		expect(summary.edited).toBe(2);
		expect(days.find((day) => day.status === 'cancelled')?.reason).toMatch(/annulée/);
		expect(days.find((day) => day.status === 'moved')?.reason).toMatch(/place de l’église/);
	});

	it('changes nothing when run a second time on the same day', async () => {
		await seedDemo(store, TODAY);
		const before = await snapshot(store);

		const again = await seedDemo(store, TODAY);

		// The two kept days are the demo's own cancelled and moved days.
		expect(again.serviceDays).toEqual({ inserted: 0, updated: 0, keptEdited: 2 });
		expect(again.edited).toBe(0);
		expect(await snapshot(store)).toEqual(before);
	});

	it('keeps a day a coordinator cancelled when the demo is seeded again', async () => {
		await seedDemo(store, TODAY);
		const [planned] = (
			await store.serviceDays.listByBus('fs-2394', { from: TODAY, to: demoWindowEnd(TODAY) })
		).filter((day) => day.status === 'planned');
		if (!planned) throw new Error('the Rur@linette has no planned day to cancel');
		await store.serviceDays.edit(
			{ ...planned, status: 'cancelled', reason: 'Salle indisponible' },
			'2026-11-27T09:00:00Z'
		);

		const next = await seedDemo(store, '2026-11-28');

		expect(next.serviceDays.keptEdited).toBeGreaterThanOrEqual(1);
		expect(await store.serviceDays.get(planned.id)).toMatchObject({
			status: 'cancelled',
			reason: 'Salle indisponible'
		});
	});

	it('adds the days of the new week when seeded a week later, without duplicating any', async () => {
		await seedDemo(store, TODAY);
		const first = await listDemoDays(store, TODAY, demoWindowEnd('2026-12-04'));

		const later = await seedDemo(store, '2026-12-04');
		const both = await listDemoDays(store, TODAY, demoWindowEnd('2026-12-04'));

		expect(later.serviceDays.inserted).toBeGreaterThan(0);
		expect(both.length).toBe(first.length + later.serviceDays.inserted);
		expect(new Set(both.map((day) => day.id)).size).toBe(both.length);
		expect(both.filter((day) => day.status === 'cancelled')).toHaveLength(1);
	});
});
