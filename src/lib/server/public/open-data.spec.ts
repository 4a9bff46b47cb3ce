import { describe, expect, it } from 'vitest';
import { storeForEachTest } from '$factories/each-test';
import { toInstant } from '$lib/domain/calendar';
import type { Store } from '../store/store';
import {
	BUS_COLUMNS,
	isWindowAllowed,
	listOpenBuses,
	listOpenServiceDays,
	listOpenStops,
	SERVICE_DAY_COLUMNS,
	STOP_COLUMNS
} from './open-data';
import { NOW, ORIGIN, seedDemoAtToday } from './test-support';

let store: Store;
storeForEachTest((opened) => (store = opened), { seed: seedDemoAtToday });

describe('listOpenBuses', () => {
	it('lists the whole national list, schedule fields only', async () => {
		const buses = await listOpenBuses(store);
		expect(buses).toHaveLength(163);
		const vouziers = buses.find((bus) => bus.id === 'fs-47');
		expect(vouziers).toMatchObject({ anctId: '47', territory: 'metropole', timeZone: 'Europe/Paris' });
		expect(Object.keys(vouziers ?? {}).sort()).toEqual(BUS_COLUMNS.map((column) => column.name).sort());
	});
});

describe('listOpenStops', () => {
	it('gives each demo stop its slug, URLs and opening_hours', async () => {
		const stops = await listOpenStops(store, ORIGIN, NOW);
		expect(stops).toHaveLength(12 + 14 + 5 + 5);
		const monthois = stops.find((stop) => stop.id === 'fs-47-monthois');
		expect(monthois).toMatchObject({
			busId: 'fs-47',
			insee: '08303',
			communeSlug: 'monthois-08303',
			timeZone: 'Europe/Paris',
			pageUrl: `${ORIGIN}/arrets/fs-47-monthois`,
			calendarUrl: `${ORIGIN}/api/open/calendars/stops/fs-47-monthois.ics`
		});
		// Easter Monday, Whit Monday and All Saints' Day 2027 are Mondays of the year ahead.
		expect(monthois?.openingHours).toBe(
			'Mo 09:00-12:00,13:00-16:30; PH off; 2027 Mar 29 off; 2027 May 17 off; 2027 Nov 01 off'
		);
		expect(Object.keys(monthois ?? {}).sort()).toEqual(STOP_COLUMNS.map((column) => column.name).sort());

		const saintFraigne = stops.find((stop) => stop.id === 'fs-2023-saint-fraigne');
		expect(saintFraigne?.openingHours).toMatch(/^week 01-53\/2 Mo 09:30-15:30; PH off/);
		const vicq = stops.find((stop) => stop.id === 'fs-2394-vicq-exemplet');
		expect(vicq?.openingHours).toMatch(/^Mo\[1\] 10:00-12:30,13:30-16:00; PH off/);
		const bouillante = stops.find((stop) => stop.id === 'fs-2910-bouillante');
		expect(bouillante?.timeZone).toBe('America/Guadeloupe');
		expect(bouillante?.openingHours).toMatch(
			/^\d{4} [A-Z][a-z]{2} \d\d 08:00-12:30(; \d{4} [A-Z][a-z]{2} \d\d 08:00-12:30)+$/
		);
		expect(bouillante?.openingHoursNotes.join(' ')).toContain('Toutes les N semaines');
	});

	it('shows a coordinator’s cancellation in the opening hours', async () => {
		const [day] = await store.serviceDays.listByStop('fs-47-monthois', {
			from: '2026-12-01',
			to: '2026-12-31'
		});
		if (!day) throw new Error('the demo has no Monday at Monthois in December');
		await store.serviceDays.edit({ ...day, status: 'cancelled', reason: 'Mairie fermée' }, NOW.toISOString());
		const stops = await listOpenStops(store, ORIGIN, NOW);
		const monthois = stops.find((stop) => stop.id === 'fs-47-monthois');
		expect(monthois?.openingHours).toContain(
			`; 2026 Dec 07 ${day.start === '09:00' ? '13:00-16:30' : '09:00-12:00'}`
		);
	});
});

describe('listOpenServiceDays', () => {
	it('lists the days of the window with their instants in the bus’s zone', async () => {
		const { days, truncated } = await listOpenServiceDays(store, {
			from: '2026-12-01',
			to: '2026-12-31',
			busId: null
		});
		expect(truncated).toBe(false);
		expect(days.length).toBeGreaterThan(50);
		for (const day of days) {
			expect(day.date >= '2026-12-01' && day.date <= '2026-12-31').toBe(true);
			expect(day.startsAt).toBe(toInstant(day.date, day.start, day.timeZone).toISOString());
		}
		const guadeloupe = days.find((day) => day.busId === 'fs-2910');
		expect(guadeloupe).toMatchObject({ timeZone: 'America/Guadeloupe', start: '08:00' });
		expect(guadeloupe?.startsAt).toMatch(/T12:00:00\.000Z$/);
		expect(Object.keys(days[0] ?? {}).sort()).toEqual(
			SERVICE_DAY_COLUMNS.map((column) => column.name).sort()
		);
	});

	it('filters by bus, and says when it had to cut the list', async () => {
		const one = await listOpenServiceDays(store, { from: '2026-11-27', to: '2027-02-18', busId: 'fs-47' });
		expect(new Set(one.days.map((day) => day.busId))).toEqual(new Set(['fs-47']));
		const cut = await listOpenServiceDays(store, { from: '2026-11-27', to: '2027-02-18', busId: null }, 10);
		expect(cut).toMatchObject({ truncated: true });
		expect(cut.days).toHaveLength(10);
	});

	it('publishes a cancellation with a higher sequence', async () => {
		const range = { from: '2026-12-01', to: '2026-12-31', busId: 'fs-47' };
		const before = (await listOpenServiceDays(store, range)).days[0];
		if (!before) throw new Error('no day');
		const stored = await store.serviceDays.get(before.id);
		if (!stored) throw new Error('no stored day');
		await store.serviceDays.edit({ ...stored, status: 'cancelled', reason: 'Panne' }, NOW.toISOString());
		const after = (await listOpenServiceDays(store, range)).days.find((day) => day.id === before.id);
		expect(after).toMatchObject({ status: 'cancelled', reason: 'Panne' });
		expect(after?.sequence).toBeGreaterThan(before.sequence);
	});
});

describe('isWindowAllowed', () => {
	it('allows 1 to 366 days, in order', () => {
		expect(isWindowAllowed('2026-01-01', '2026-01-01')).toBe(true);
		expect(isWindowAllowed('2026-01-01', '2027-01-01')).toBe(true);
		expect(isWindowAllowed('2026-01-01', '2027-01-02')).toBe(false);
		expect(isWindowAllowed('2026-01-02', '2026-01-01')).toBe(false);
	});
});
