/**
 * The circuit repository, one contract for both engines (issue 12, item 1): the same assertions on the
 * SQLite store and on the PostgreSQL adapter, each on a database of its own.
 */
import type { Circuit, CircuitRule } from '$lib/domain/schedule';
import { afterEach, describe, expect, it } from 'vitest';
import { makeBus } from '$factories/bus';
import { openPostgresEngine, openSqliteEngine } from '$factories/engines';
import { createPgBusRepository } from './postgres/buses';
import { createPgCircuitRepository } from './postgres/circuits';
import type { BusRepository, CircuitRepository } from './store';

interface Opened {
	buses: BusRepository;
	circuits: CircuitRepository;
	close(): Promise<void>;
}

const now = () => '2026-12-01T10:00:00.000Z';

const ENGINES: Record<string, () => Promise<Opened>> = {
	sqlite: async () => {
		const { store, close } = await openSqliteEngine();
		return { buses: store.buses, circuits: store.circuits, close };
	},
	postgres: async () => {
		const { scope, close } = await openPostgresEngine();
		return {
			buses: createPgBusRepository(scope, now),
			circuits: createPgCircuitRepository(scope, now),
			close
		};
	}
};

const rule = (overrides: Partial<CircuitRule> = {}): CircuitRule => ({
	id: 'fs-47-mon-am',
	stopId: 'fs-47-monthois',
	recurrence: { kind: 'nthWeekdayOfMonth', weekday: 1, nths: [1, -1] },
	window: { start: '09:00', end: '12:00' },
	validFrom: '2025-09-01',
	validUntil: null,
	exceptDates: ['2026-12-28'],
	...overrides
});

const circuit = (overrides: Partial<Circuit> = {}): Circuit => ({
	id: 'fs-47-circuit',
	busId: 'fs-47',
	name: 'Itinérance',
	rules: [rule()],
	...overrides
});

let opened: Opened | null = null;
afterEach(async () => {
	await opened?.close();
	opened = null;
});

/** Opens the engine with buses fs-47 and fs-48 stored, as circuits need their bus. */
async function openWithBuses(open: () => Promise<Opened>): Promise<Opened> {
	opened = await open();
	await opened.buses.upsertMany([makeBus({ id: 'fs-47' }), makeBus({ id: 'fs-48' })]);
	return opened;
}

describe.each(Object.entries(ENGINES))('the circuit repository on %s', (_engine, open) => {
	it('gives back a circuit with its rules whole, their keys in the order written', async () => {
		const { circuits } = await openWithBuses(open);
		await circuits.upsertMany([circuit()]);
		const stored = await circuits.get('fs-47-circuit');
		expect(stored).toEqual(circuit());
		expect(JSON.stringify(stored)).toBe(JSON.stringify(circuit()));
		expect(await circuits.get('fs-47-none')).toBeNull();
	});

	it('lists the circuits of a bus by id, and all circuits by bus then id, in byte order', async () => {
		const { circuits } = await openWithBuses(open);
		const b = circuit({ id: 'fs-47-b', rules: [] });
		const upper = circuit({ id: 'FS-47-z' });
		const a = circuit({
			id: 'fs-47-a',
			rules: [rule(), rule({ id: 'fs-47-tue', validUntil: '2027-06-30' })]
		});
		const other = circuit({ id: 'AA', busId: 'fs-48', name: 'Autre' });
		await circuits.upsertMany([other, b, upper, a]);
		expect(await circuits.listByBus('fs-47')).toEqual([upper, a, b]);
		expect(await circuits.listByBus('fs-0')).toEqual([]);
		expect(await circuits.listAll()).toEqual([upper, a, b, other]);
	});

	it('updates a circuit in place when it is stored again, and keeps the last copy given in one batch', async () => {
		const { circuits } = await openWithBuses(open);
		await circuits.upsertMany([circuit()]);
		await circuits.upsertMany([circuit()]);
		await circuits.upsertMany([]);
		expect(await circuits.listAll()).toEqual([circuit()]);
		const changed = circuit({ name: 'Nord', rules: [rule({ exceptDates: [] })] });
		await circuits.upsertMany([circuit({ name: 'Sud' }), changed]);
		expect(await circuits.listAll()).toEqual([changed]);
	});

	it('refuses a circuit of a bus it does not know, and keeps none of its batch', async () => {
		const { circuits } = await openWithBuses(open);
		await expect(circuits.upsertMany([circuit(), circuit({ id: 'orphan', busId: 'fs-0' })])).rejects.toThrow(
			/foreign key/i
		);
		expect(await circuits.listAll()).toEqual([]);
	});
});
