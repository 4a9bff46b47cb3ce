/**
 * The stop repository, one contract for both engines (issue 12, item 1): the same assertions on the SQLite
 * store and on the PostgreSQL adapter, each on a database of its own. The change log is read too: every
 * write of a stop is a change tablets pull, so a stop stored again unchanged must log nothing.
 */
import type { Bus, Stop } from '$lib/domain/schedule';
import { afterEach, describe, expect, it } from 'vitest';
import { makeBus } from '$factories/bus';
import { openPostgresEngine, openSqliteEngine } from '$factories/engines';
import { makeStop } from '$factories/schedule';
import { createPgBusRepository } from './postgres/buses';
import { createPgChangeLogRepository } from './postgres/change-log';
import { createPgStopRepository } from './postgres/stops';
import type { BusRepository, StopRepository } from './store';
import type { ChangeLogRepository } from './sync-store';

interface Opened {
	buses: BusRepository;
	stops: StopRepository;
	changeLog: ChangeLogRepository;
	close(): Promise<void>;
}

const now = () => '2026-12-01T10:00:00.000Z';

const ENGINES: Record<string, () => Promise<Opened>> = {
	sqlite: async () => {
		const { store, close } = await openSqliteEngine();
		return { buses: store.buses, stops: store.stops, changeLog: store.changeLog, close };
	},
	postgres: async () => {
		const { scope, close } = await openPostgresEngine();
		return {
			buses: createPgBusRepository(scope, now),
			stops: createPgStopRepository(scope, now),
			changeLog: createPgChangeLogRepository(scope),
			close
		};
	}
};

const bus = (id: string): Bus => makeBus({ id });

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

let opened: Opened | null = null;
afterEach(async () => {
	await opened?.close();
	opened = null;
});

/** Opens the engine with buses fs-47 and fs-48 stored, as stops need their bus. */
async function openWithBuses(open: () => Promise<Opened>): Promise<Opened> {
	opened = await open();
	await opened.buses.upsertMany([bus('fs-47'), bus('fs-48')]);
	return opened;
}

describe.each(Object.entries(ENGINES))('the stop repository on %s', (_engine, open) => {
	it('gives back a stop exactly as it was stored, nulls included, offPlan only when true', async () => {
		const { stops } = await openWithBuses(open);
		const offPlan = stop({ id: 'fs-47-attigny', commune: 'Attigny', address: '1 rue Haute', offPlan: true });
		const noted = stop({ id: 'fs-47-vouziers', commune: 'Vouziers', accessNotes: 'Cour arrière' });
		await stops.upsertMany([stop(), offPlan, noted]);
		expect(await stops.get('fs-47-monthois')).toEqual(stop());
		expect(await stops.get('fs-47-monthois')).not.toHaveProperty('offPlan');
		expect(await stops.get('fs-47-attigny')).toEqual(offPlan);
		expect(await stops.get('fs-47-vouziers')).toEqual(noted);
		expect(await stops.get('fs-47-none')).toBeNull();
	});

	it('lists the stops of a bus by commune then id, and all stops by bus first, in byte order', async () => {
		const { stops } = await openWithBuses(open);
		const evry = stop({ id: 'fs-47-b', commune: 'Évry' });
		const zarbe = stop({ id: 'fs-47-c', commune: 'Zarbe' });
		const aube2 = stop({ id: 'fs-47-a2', commune: 'Aube' });
		const aube1 = stop({ id: 'fs-47-a1', commune: 'Aube' });
		const other = stop({ id: 'fs-48-a', busId: 'fs-48', commune: 'Aube' });
		await stops.upsertMany([other, evry, zarbe, aube2, aube1]);
		expect(await stops.listByBus('fs-47')).toEqual([aube1, aube2, zarbe, evry]);
		expect(await stops.listByBus('fs-48')).toEqual([other]);
		expect(await stops.listByBus('fs-0')).toEqual([]);
		expect(await stops.listAll()).toEqual([aube1, aube2, zarbe, evry, other]);
	});

	it('updates a stop in place when it is stored again, offPlan cleared included', async () => {
		const { stops } = await openWithBuses(open);
		await stops.upsertMany([stop({ offPlan: true, address: '2 rue Basse' })]);
		await stops.upsertMany([stop({ place: 'Salle des fêtes' })]);
		expect(await stops.listAll()).toEqual([stop({ place: 'Salle des fêtes' })]);
	});

	it('refuses a stop of a bus it does not know, and keeps none of its batch', async () => {
		const { stops } = await openWithBuses(open);
		await expect(stops.upsertMany([stop(), stop({ id: 'orphan', busId: 'fs-0' })])).rejects.toThrow(
			/foreign key/i
		);
		expect(await stops.listAll()).toEqual([]);
	});

	it('logs a change for a new or changed stop, and none for a stop stored again unchanged', async () => {
		const { stops, changeLog } = await openWithBuses(open);
		const second = stop({ id: 'fs-47-attigny', commune: 'Attigny', offPlan: true });
		await stops.upsertMany([stop(), second]);
		const afterInsert = await changeLog.lastSeq();
		expect(await changeLog.listForBus('fs-47', 0, 10)).toMatchObject([
			{ entity: 'bus' },
			{ entity: 'stop', data: stop() },
			{ entity: 'stop', data: second }
		]);

		await stops.upsertMany([stop(), second]);
		await stops.upsertMany([]);
		expect(await changeLog.lastSeq()).toBe(afterInsert);

		await stops.upsertMany([stop({ accessNotes: 'Derrière la mairie' }), second]);
		expect(await changeLog.listForBus('fs-47', afterInsert, 10)).toMatchObject([
			{ entity: 'stop', id: 'fs-47-monthois', data: stop({ accessNotes: 'Derrière la mairie' }) }
		]);
	});

	it('keeps the last copy of a stop given twice in one batch', async () => {
		const { stops } = await openWithBuses(open);
		await stops.upsertMany([stop({ place: 'Église' }), stop({ place: 'Mairie annexe' })]);
		expect(await stops.listAll()).toEqual([stop({ place: 'Mairie annexe' })]);
	});
});
