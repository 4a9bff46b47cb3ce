import { addDays } from '$lib/domain/calendar';
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/seed';
import { storeForEachTest } from '$factories/each-test';
import type { Store } from '../store/store';
import { listUpcomingServiceDays } from './upcoming';

let store: Store;
storeForEachTest((opened) => (store = opened), { seed: (opened) => seedDemo(opened, '2026-11-27') });

describe('the next service days of the network', () => {
	it('lists the next days in date order, with their place and bus, from today on', async () => {
		const now = new Date('2026-11-30T06:00:00.000Z'); // Monday 07:00 in Paris
		const days = await listUpcomingServiceDays(store, now, { limit: 12, weeks: 12 });

		expect(days).toHaveLength(12);
		expect(days.every((day) => day.date >= '2026-11-30')).toBe(true);
		const keys = days.map((day) => `${day.date} ${day.start}`);
		expect(keys).toEqual([...keys].sort());
		expect(days[0]).toMatchObject({ commune: expect.any(String), busName: expect.any(String) });
	});

	it('keeps an overseas day that is still today for its bus though Paris is already tomorrow', async () => {
		const guadeloupeBus = 'fs-2910';
		const [first] = await store.serviceDays.listByBus(guadeloupeBus, {
			from: '2026-11-28',
			to: '2027-02-28'
		});
		expect(first).toBeDefined();
		// 01:00 in Paris the next day is still 20:00 of that day in Guadeloupe.
		const now = new Date(`${addDays(first!.date, 1)}T00:00:00.000Z`);
		const days = await listUpcomingServiceDays(store, now, { limit: 500, weeks: 1 });

		expect(days.map((day) => day.id)).toContain(first!.id);
		const others = days.filter((day) => !day.busName.includes('Grand Sud Caraïbe'));
		expect(others.length).toBeGreaterThan(0);
		expect(others.every((day) => day.date > first!.date)).toBe(true);
	});

	it('carries schedule fields only', async () => {
		const [day] = await listUpcomingServiceDays(store, new Date('2026-11-30T06:00:00.000Z'), {
			limit: 1,
			weeks: 12
		});
		expect(Object.keys(day ?? {}).sort()).toEqual(
			[
				'busName',
				'busPhone',
				'commune',
				'date',
				'end',
				'id',
				'place',
				'postalCode',
				'reason',
				'start',
				'status'
			].sort()
		);
	});
});
