/**
 * The bus repository, one contract for both engines (issue 12, item 1): the same assertions on the SQLite
 * store and on the PostgreSQL adapter, each on a database of its own. The change log is read too: every
 * write of a bus is a change tablets pull, so a bus stored again unchanged must log nothing.
 */
import type { Bus } from '$lib/domain/schedule';
import { afterEach, describe, expect, it } from 'vitest';
import { makeBus } from '$factories/bus';
import { openPostgresEngine, openSqliteEngine } from '$factories/engines';
import { createPgBusRepository } from './postgres/buses';
import { createPgChangeLogRepository } from './postgres/change-log';
import type { BusRepository } from './store';
import type { ChangeLogRepository } from './sync-store';

interface Opened {
	buses: BusRepository;
	changeLog: ChangeLogRepository;
	close(): Promise<void>;
}

const now = () => '2026-12-01T10:00:00.000Z';

const ENGINES: Record<string, () => Promise<Opened>> = {
	sqlite: async () => {
		const { store, close } = await openSqliteEngine();
		return { buses: store.buses, changeLog: store.changeLog, close };
	},
	postgres: async () => {
		const { scope, close } = await openPostgresEngine();
		return { buses: createPgBusRepository(scope, now), changeLog: createPgChangeLogRepository(scope), close };
	}
};

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

let opened: Opened | null = null;
afterEach(async () => {
	await opened?.close();
	opened = null;
});

describe.each(Object.entries(ENGINES))('the bus repository on %s', (_engine, open) => {
	it('gives back a bus exactly as it was stored, nulls and booleans included', async () => {
		opened = await open();
		const { buses } = opened;
		await buses.upsertMany([bus()]);
		expect(await buses.get('fs-47')).toEqual(bus());
		expect(await buses.list()).toEqual([bus()]);
		expect(await buses.get('fs-0')).toBeNull();
		expect(await buses.count()).toBe(1);
	});

	it('updates a bus in place when it is stored again', async () => {
		opened = await open();
		const { buses } = opened;
		await buses.upsertMany([bus()]);
		await buses.upsertMany([bus({ phone: '03 24 71 64 65', email: null, takesAppointments: false })]);
		expect(await buses.count()).toBe(1);
		expect(await buses.get('fs-47')).toEqual(
			bus({ phone: '03 24 71 64 65', email: null, takesAppointments: false })
		);
	});

	it('lists buses by id in byte order, as SQLite sorts, not in the order of the database locale', async () => {
		opened = await open();
		const { buses } = opened;
		await buses.upsertMany([
			bus({ id: 'fs-47' }),
			bus({ id: 'fs-10' }),
			bus({ id: 'FS-9' }),
			bus({ id: 'fs_2' })
		]);
		expect((await buses.list()).map((b) => b.id)).toEqual(['FS-9', 'fs-10', 'fs-47', 'fs_2']);
		expect(await buses.count()).toBe(4);
	});

	it('logs a change for a new or changed bus, and none for a bus stored again unchanged', async () => {
		opened = await open();
		const { buses, changeLog } = opened;
		await buses.upsertMany([bus(), bus({ id: 'fs-48' })]);
		const afterInsert = await changeLog.lastSeq();
		expect(await changeLog.listForBus('fs-47', 0, 10)).toMatchObject([{ entity: 'bus', data: bus() }]);

		await buses.upsertMany([bus(), bus({ id: 'fs-48' })]);
		await buses.upsertMany([]);
		expect(await changeLog.lastSeq()).toBe(afterInsert);

		await buses.upsertMany([bus({ name: 'Bus de Vouziers' }), bus({ id: 'fs-48' })]);
		expect(await changeLog.listForBus('fs-47', afterInsert, 10)).toMatchObject([
			{ entity: 'bus', data: bus({ name: 'Bus de Vouziers' }) }
		]);
		expect(await changeLog.listForBus('fs-48', afterInsert, 10)).toEqual([]);
	});

	it('writes a bus given twice in one batch twice, as a loop would: the last copy wins', async () => {
		opened = await open();
		const { buses, changeLog } = opened;
		await buses.upsertMany([
			bus({ name: 'first' }),
			bus({ id: 'fs-48' }),
			bus({ name: 'last' }),
			bus({ id: 'fs-48' })
		]);
		expect(await buses.get('fs-47')).toEqual(bus({ name: 'last' }));
		expect(await buses.count()).toBe(2);
		const logged = await changeLog.listForBus('fs-47', 0, 10);
		expect(logged.map((change) => (change.data as Bus).name)).toEqual(['first', 'last']);
		expect(await changeLog.listForBus('fs-48', 0, 10)).toHaveLength(1);
	});

	it('stores a batch whole or not at all', async () => {
		opened = await open();
		const { buses, changeLog } = opened;
		const invalid = bus({ id: 'fs-49', kind: 'boat' as Bus['kind'] });
		await expect(buses.upsertMany([bus(), invalid])).rejects.toThrow(/check constraint/i);
		expect(await buses.count()).toBe(0);
		// Also when the failing copy repeats an id of the batch (written in a later round on PostgreSQL).
		await expect(buses.upsertMany([bus(), bus({ kind: 'boat' as Bus['kind'] })])).rejects.toThrow(
			/check constraint/i
		);
		expect(await buses.count()).toBe(0);
		expect(await changeLog.lastSeq()).toBe(0);
	});
});
