/**
 * The sync row counts, one contract for both engines (issue 12, item 1): the same assertions on the SQLite
 * store and on the PostgreSQL adapter, each on a database of its own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeBus } from '$factories/bus';
import { openPostgresEngine, openSqliteEngine } from '$factories/engines';
import { insertPgBus } from '$factories/pg-bus';
import { createPgDeviceRepository, createPgEnrollmentCodeRepository } from './postgres/devices';
import { createPgSyncStatsRepository } from './postgres/sync-stats';
import type { DeviceRepository, EnrollmentCodeRepository, SyncStatsRepository, SyncTable } from './store';

interface Opened {
	syncStats: SyncStatsRepository;
	devices: DeviceRepository;
	enrollmentCodes: EnrollmentCodeRepository;
	addBus(id: string): Promise<void>;
	close(): Promise<void>;
}

const ENGINES: Record<string, () => Promise<Opened>> = {
	sqlite: async () => {
		const { store, close } = await openSqliteEngine();
		return {
			syncStats: store.syncStats,
			devices: store.devices,
			enrollmentCodes: store.enrollmentCodes,
			addBus: (id) => store.buses.upsertMany([makeBus({ id })]).then(() => undefined),
			close
		};
	},
	postgres: async () => {
		const { scope, close } = await openPostgresEngine();
		return {
			syncStats: createPgSyncStatsRepository(scope),
			devices: createPgDeviceRepository(scope),
			enrollmentCodes: createPgEnrollmentCodeRepository(scope),
			addBus: (id) => insertPgBus(scope, id),
			close
		};
	}
};

const EMPTY: Record<SyncTable, number> = {
	devices: 0,
	enrollment_codes: 0,
	visits: 0,
	visit_withdrawals: 0,
	referrals: 0,
	referral_events: 0,
	service_day_reports: 0,
	rejected_mutations: 0,
	mutation_digests: 0,
	change_log: 0
};

let opened: Opened | null = null;
afterEach(async () => {
	await opened?.close();
	opened = null;
});

describe.each(Object.entries(ENGINES))('the sync row counts on %s', (_engine, open) => {
	it('count every sync table, and nothing else, from zero', async () => {
		opened = await open();
		expect(await opened.syncStats.countRows()).toEqual(EMPTY);
	});

	it('count the rows written, the change logged for a new bus included', async () => {
		opened = await open();
		const { devices, enrollmentCodes } = opened;
		await opened.addBus('bus-1');
		for (const id of ['d1', 'd2']) {
			await devices.insert({
				id,
				busId: 'bus-1',
				secretHash: `hash-${id}`,
				appVersion: '1.0.0',
				createdAt: '2026-03-10T09:00:00.000Z',
				revokedAt: null,
				lastMutationId: 0,
				lastSeenAt: null
			});
		}
		await enrollmentCodes.insert({
			codeHash: 'h1',
			busId: 'bus-1',
			createdAt: '2026-03-10T09:00:00.000Z',
			expiresAt: '2026-03-10T09:15:00.000Z',
			usedAt: null,
			usedByDevice: null
		});
		expect(await opened.syncStats.countRows()).toEqual({
			...EMPTY,
			devices: 2,
			enrollment_codes: 1,
			change_log: 1
		});
	});
});
