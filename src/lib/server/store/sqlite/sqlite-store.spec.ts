import type { Bus, Circuit, ServiceDay, Stop } from '$lib/domain/schedule';
import { describe, expect, it } from 'vitest';
import { makeBus } from '$factories/bus';
import { makeServiceDay, makeStop } from '$factories/schedule';
import { storeForEachTest } from '$factories/each-test';
import { openTestStore, seedSchedule } from '$factories/store';
import type { Store } from '../store';
import { latestSchemaVersion } from './migrations';

const bus = (overrides: Partial<Bus> = {}): Bus =>
	makeBus({
		id: 'fs-47',
		anctId: '47',
		name: 'Bus France services de Vouziers',
		departement: '08',
		homeInsee: '08490',
		homeCommune: 'Vouziers',
		homePostalCode: '08400',
		homeAddress: '21 Rue Gambetta',
		latitude: 49.396479,
		longitude: 4.69986,
		email: 'bus@example.org',
		takesAppointments: true,
		...overrides
	});

const stop = (overrides: Partial<Stop> = {}): Stop =>
	makeStop({
		id: 'fs-47-monthois',
		busId: 'fs-47',
		insee: '08303',
		commune: 'Monthois',
		postalCode: '08400',
		place: 'Mairie',
		latitude: 49.318,
		longitude: 4.715,
		...overrides
	});

const day = (date: string, overrides: Partial<ServiceDay> = {}): ServiceDay =>
	makeServiceDay({
		id: `fs-47-mon-am@${date}`,
		busId: 'fs-47',
		stopId: 'fs-47-monthois',
		ruleId: 'fs-47-mon-am',
		date,
		...overrides
	});

let store: Store;
storeForEachTest((opened) => (store = opened), { seed: seedSchedule({ buses: [bus()], stops: [stop()] }) });

describe('the SQLite store', () => {
	it('gives back a bus exactly as it was stored, nulls and booleans included', async () => {
		expect(await store.buses.get('fs-47')).toEqual(bus());
		expect(await store.buses.list()).toEqual([bus()]);
		expect(await store.buses.get('fs-0')).toBeNull();
	});

	it('updates a bus in place when it is stored again', async () => {
		await store.buses.upsertMany([bus({ phone: '03 24 71 64 65', takesAppointments: false })]);

		expect(await store.buses.count()).toBe(1);
		expect(await store.buses.get('fs-47')).toMatchObject({
			phone: '03 24 71 64 65',
			takesAppointments: false
		});
	});

	it('gives back stops by bus and circuits with their rules whole', async () => {
		const circuit: Circuit = {
			id: 'fs-47-circuit',
			busId: 'fs-47',
			name: 'Itinérance',
			rules: [
				{
					id: 'fs-47-mon-am',
					stopId: 'fs-47-monthois',
					recurrence: { kind: 'nthWeekdayOfMonth', weekday: 1, nths: [1, -1] },
					window: { start: '09:00', end: '12:00' },
					validFrom: '2025-09-01',
					validUntil: null,
					exceptDates: ['2026-12-28']
				}
			]
		};
		await store.circuits.upsertMany([circuit]);

		expect(await store.stops.listByBus('fs-47')).toEqual([stop()]);
		expect(await store.stops.get('fs-47-monthois')).toEqual(stop());
		expect(await store.circuits.get('fs-47-circuit')).toEqual(circuit);
		expect(await store.circuits.listByBus('fs-47')).toEqual([circuit]);
	});

	it('refuses a stop of a bus it does not know', async () => {
		await expect(store.stops.upsertMany([stop({ id: 'orphan', busId: 'fs-0' })])).rejects.toThrow(
			/FOREIGN KEY/
		);
	});

	it('lists service days of a bus within an inclusive date range, in date order', async () => {
		await store.serviceDays.upsertGenerated([day('2026-12-14'), day('2026-12-07'), day('2026-12-21')]);

		const days = await store.serviceDays.listByBus('fs-47', { from: '2026-12-07', to: '2026-12-14' });
		expect(days.map((d) => d.date)).toEqual(['2026-12-07', '2026-12-14']);
		expect(days[0]).toEqual({ ...day('2026-12-07'), revision: 1, editedAt: null });
		expect(await store.serviceDays.listByStop('fs-47-monthois')).toHaveLength(3);
		expect(
			await store.serviceDays.listByStop('fs-47-monthois', { from: '2026-12-20', to: '2026-12-31' })
		).toHaveLength(1);
	});

	it('lists the days of every bus within a range, earliest first, up to a limit', async () => {
		await store.serviceDays.upsertGenerated([
			day('2026-12-14'),
			day('2026-12-07', { id: 'late@2026-12-07', start: '14:00', end: '16:30' }),
			day('2026-12-07'),
			day('2027-01-04')
		]);

		const days = await store.serviceDays.listBetween({ from: '2026-12-01', to: '2026-12-31' }, 2);
		expect(days.map((d) => `${d.date} ${d.start}`)).toEqual(['2026-12-07 09:00', '2026-12-07 14:00']);
		expect(await store.serviceDays.listBetween({ from: '2026-12-01', to: '2026-12-31' }, 10)).toHaveLength(3);
	});

	it('stores generated days once however often they are generated again', async () => {
		const days = [day('2026-12-07'), day('2026-12-14')];

		expect(await store.serviceDays.upsertGenerated(days)).toEqual({ inserted: 2, updated: 0, keptEdited: 0 });
		expect(await store.serviceDays.upsertGenerated(days)).toEqual({ inserted: 0, updated: 0, keptEdited: 0 });
		expect(await store.serviceDays.get(day('2026-12-07').id)).toMatchObject({ revision: 1 });
	});

	it('follows a changed rule on unedited days but never overwrites a day a coordinator edited', async () => {
		await store.serviceDays.upsertGenerated([day('2026-12-07'), day('2026-12-14')]);
		const cancelled = { ...day('2026-12-14'), status: 'cancelled' as const, reason: 'Bus au garage' };
		const edited = await store.serviceDays.edit(cancelled, '2026-12-01T10:00:00.000Z');
		expect(edited).toMatchObject({ status: 'cancelled', revision: 2, editedAt: '2026-12-01T10:00:00.000Z' });

		const later = { start: '09:30', end: '12:00' };
		const result = await store.serviceDays.upsertGenerated([
			day('2026-12-07', later),
			day('2026-12-14', later)
		]);

		expect(result).toEqual({ inserted: 0, updated: 1, keptEdited: 1 });
		expect(await store.serviceDays.get(day('2026-12-07').id)).toMatchObject({ start: '09:30', revision: 2 });
		expect(await store.serviceDays.get(day('2026-12-14').id)).toMatchObject({
			start: '09:00',
			status: 'cancelled',
			reason: 'Bus au garage'
		});
	});

	it('answers null when editing a day that does not exist', async () => {
		expect(await store.serviceDays.edit(day('2026-12-07'), '2026-12-01T10:00:00.000Z')).toBeNull();
	});

	it('rejects a service day whose window ends before it starts', async () => {
		await expect(
			store.serviceDays.upsertGenerated([day('2026-12-07', { start: '12:00', end: '09:00' })])
		).rejects.toThrow(/CHECK/);
	});

	it('keeps small facts about the database', async () => {
		expect(await store.meta.get('demoSeededAt')).toBeNull();
		await store.meta.set('demoSeededAt', '2026-11-27');
		await store.meta.set('demoSeededAt', '2026-11-28');
		expect(await store.meta.get('demoSeededAt')).toBe('2026-11-28');
	});
});

describe('a store transaction', () => {
	it('commits all its writes together', async () => {
		await store.transaction(async (tx) => {
			await tx.buses.upsertMany([bus({ id: 'fs-2023', anctId: '2023' })]);
			await tx.meta.set('referenceVersion', '2024-08-01');
		});

		expect(await store.buses.count()).toBe(2);
		expect(await store.meta.get('referenceVersion')).toBe('2024-08-01');
	});

	it('keeps none of its writes when it throws', async () => {
		const failing = store.transaction(async (tx) => {
			await tx.buses.upsertMany([bus({ id: 'fs-2023', anctId: '2023' })]);
			throw new Error('boom');
		});

		await expect(failing).rejects.toThrow('boom');
		expect(await store.buses.count()).toBe(1);
	});

	it('makes other callers wait until it ends, so they never see half of it', async () => {
		let release!: () => void;
		const paused = new Promise<void>((resolve) => (release = resolve));
		const transaction = store.transaction(async (tx) => {
			await tx.buses.upsertMany([bus({ id: 'fs-2023', anctId: '2023' })]);
			await paused;
			await tx.buses.upsertMany([bus({ id: 'fs-2394', anctId: '2394' })]);
		});
		const countedMeanwhile = store.buses.count();
		release();

		await transaction;
		expect(await countedMeanwhile).toBe(3);
	});

	it('refuses the store itself inside its callback instead of waiting for ever', async () => {
		await expect(store.transaction(() => store.buses.count())).rejects.toThrow(/use the tx/);
	});

	it('refuses its tx once it has ended', async () => {
		const leaked = await store.transaction(async (tx) => tx);
		await expect(leaked.buses.count()).rejects.toThrow(/ended/);
	});
});

describe('the store health', () => {
	it('reports the engine, the schema version and the journal mode', async () => {
		expect(await store.health()).toEqual({
			engine: 'sqlite',
			schemaVersion: latestSchemaVersion,
			journalMode: 'memory',
			ok: true
		});
	});

	it('answers not ok, without throwing, once the database is closed', async () => {
		const other = await openTestStore();
		await other.close();
		expect(await other.health()).toMatchObject({ ok: false });
	});
});
