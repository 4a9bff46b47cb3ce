/**
 * The devices and enrollment codes repositories, one contract for both engines (issue 12, item 1): the same
 * assertions on the SQLite store and on the PostgreSQL adapter, each on a database of its own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeBus } from '$factories/bus';
import { openPostgresEngine, openSqliteEngine } from '$factories/engines';
import { insertPgBus } from '$factories/pg-bus';
import { createPgDeviceRepository, createPgEnrollmentCodeRepository } from './postgres/devices';
import type { DeviceListing, DeviceRecord, DeviceRepository, EnrollmentCodeRepository } from './store';

interface Opened {
	devices: DeviceRepository & DeviceListing;
	enrollmentCodes: EnrollmentCodeRepository;
	/** Writes a bus for the devices to belong to (the PostgreSQL adapter has no bus repository yet). */
	addBus(id: string): Promise<void>;
	close(): Promise<void>;
}

const ENGINES: Record<string, () => Promise<Opened>> = {
	sqlite: async () => {
		const { store, close } = await openSqliteEngine();
		return {
			devices: store.devices,
			enrollmentCodes: store.enrollmentCodes,
			addBus: (id) => store.buses.upsertMany([makeBus({ id })]).then(() => undefined),
			close
		};
	},
	postgres: async () => {
		const { scope, close } = await openPostgresEngine();
		return {
			devices: createPgDeviceRepository(scope),
			enrollmentCodes: createPgEnrollmentCodeRepository(scope),
			addBus: (id) => insertPgBus(scope, id),
			close
		};
	}
};

function device(id: string, busId: string, createdAt: string): DeviceRecord {
	return {
		id,
		busId,
		secretHash: `hash-${id}`,
		appVersion: '1.0.0',
		createdAt,
		revokedAt: null,
		lastMutationId: 0,
		lastSeenAt: null
	};
}

let opened: Opened | null = null;
afterEach(async () => {
	await opened?.close();
	opened = null;
});

describe.each(Object.entries(ENGINES))('the devices repository on %s', (_engine, open) => {
	it('reads a device back as written, nulls included, and refuses a second device with the same id', async () => {
		opened = await open();
		const { devices } = opened;
		await opened.addBus('bus-1');
		const written = device('d1', 'bus-1', '2026-03-10T09:00:00.000Z');
		await devices.insert(written);
		expect(await devices.get('d1')).toEqual(written);
		expect(await devices.get('d2')).toBeNull();
		// A push's read (its lock is the push suite's: src/lib/server/sync/push-replays.spec.ts) reads the same.
		expect(await devices.getForPush('d1')).toEqual(written);
		expect(await devices.getForPush('d2')).toBeNull();
		await expect(devices.insert({ ...written, secretHash: 'other' })).rejects.toThrow();
		await expect(devices.insert(device('d3', 'no-such-bus', '2026-03-10T09:00:00.000Z'))).rejects.toThrow();
		expect(await devices.get('d1')).toEqual(written);
	});

	it('moves the acknowledgement ledger forward only, and always notes when the device was seen', async () => {
		opened = await open();
		const { devices } = opened;
		await opened.addBus('bus-1');
		await devices.insert(device('d1', 'bus-1', '2026-03-10T09:00:00.000Z'));
		await devices.acknowledge('d1', 7, '2026-03-10T09:01:00.000Z');
		expect(await devices.get('d1')).toMatchObject({
			lastMutationId: 7,
			lastSeenAt: '2026-03-10T09:01:00.000Z'
		});
		await devices.acknowledge('d1', 3, '2026-03-10T09:02:00.000Z');
		expect(await devices.get('d1')).toMatchObject({
			lastMutationId: 7,
			lastSeenAt: '2026-03-10T09:02:00.000Z'
		});
		await devices.acknowledge('d1', 2 ** 40, '2026-03-10T09:03:00.000Z');
		expect((await devices.get('d1'))?.lastMutationId).toBe(2 ** 40);
		await devices.acknowledge('no-such-device', 1, '2026-03-10T09:03:00.000Z');
		expect(await devices.get('no-such-device')).toBeNull();
	});

	it('revokes a device once, keeping the first revocation time', async () => {
		opened = await open();
		const { devices } = opened;
		await opened.addBus('bus-1');
		await devices.insert(device('d1', 'bus-1', '2026-03-10T09:00:00.000Z'));
		expect(await devices.revoke('d1', '2026-03-10T10:00:00.000Z')).toBe(true);
		expect(await devices.revoke('d1', '2026-03-10T11:00:00.000Z')).toBe(false);
		expect(await devices.revoke('no-such-device', '2026-03-10T11:00:00.000Z')).toBe(false);
		expect((await devices.get('d1'))?.revokedAt).toBe('2026-03-10T10:00:00.000Z');
	});

	it('lists devices by bus id in byte order, then newest enrolment first, revoked ones included', async () => {
		opened = await open();
		const { devices } = opened;
		// Byte order puts 'bus-B' before 'bus-a'; a locale-aware order would not.
		await opened.addBus('bus-a');
		await opened.addBus('bus-B');
		await devices.insert(device('a1', 'bus-a', '2026-03-10T09:00:00.000Z'));
		await devices.insert(device('a2', 'bus-a', '2026-03-10T09:05:00.000Z'));
		await devices.insert(device('b1', 'bus-B', '2026-03-10T08:00:00.000Z'));
		await devices.revoke('a1', '2026-03-10T10:00:00.000Z');

		const all = await devices.list(10);
		expect(all.map((listed) => listed.id)).toEqual(['b1', 'a2', 'a1']);
		expect(all[2]).toMatchObject({
			busId: 'bus-a',
			appVersion: '1.0.0',
			revokedAt: '2026-03-10T10:00:00.000Z'
		});
		expect((await devices.list(2)).map((listed) => listed.id)).toEqual(['b1', 'a2']);
		expect((await devices.listByBus('bus-a')).map((listed) => listed.id)).toEqual(['a2', 'a1']);
		expect(await devices.listByBus('no-such-bus')).toEqual([]);
	});
});

describe.each(Object.entries(ENGINES))('the enrollment codes repository on %s', (_engine, open) => {
	it('reads a code back as written, and refuses a second code with the same hash', async () => {
		opened = await open();
		const { enrollmentCodes } = opened;
		await opened.addBus('bus-1');
		const code = {
			codeHash: 'h1',
			busId: 'bus-1',
			createdAt: '2026-03-10T09:00:00.000Z',
			expiresAt: '2026-03-10T09:15:00.000Z',
			usedAt: null,
			usedByDevice: null
		};
		await enrollmentCodes.insert(code);
		expect(await enrollmentCodes.get('h1')).toEqual(code);
		expect(await enrollmentCodes.get('h2')).toBeNull();
		await expect(
			enrollmentCodes.insert({ ...code, expiresAt: '2026-03-11T00:00:00.000Z' })
		).rejects.toThrow();
		expect(await enrollmentCodes.get('h1')).toEqual(code);
	});

	it('marks a code used once: the second tablet of a race is told no', async () => {
		opened = await open();
		const { devices, enrollmentCodes } = opened;
		await opened.addBus('bus-1');
		await devices.insert(device('d1', 'bus-1', '2026-03-10T09:00:00.000Z'));
		await devices.insert(device('d2', 'bus-1', '2026-03-10T09:00:01.000Z'));
		await enrollmentCodes.insert({
			codeHash: 'h1',
			busId: 'bus-1',
			createdAt: '2026-03-10T09:00:00.000Z',
			expiresAt: '2026-03-10T09:15:00.000Z',
			usedAt: null,
			usedByDevice: null
		});
		expect(await enrollmentCodes.markUsed('h1', 'd1', '2026-03-10T09:01:00.000Z')).toBe(true);
		expect(await enrollmentCodes.markUsed('h1', 'd2', '2026-03-10T09:02:00.000Z')).toBe(false);
		expect(await enrollmentCodes.markUsed('no-such-code', 'd2', '2026-03-10T09:02:00.000Z')).toBe(false);
		expect(await enrollmentCodes.get('h1')).toMatchObject({
			usedAt: '2026-03-10T09:01:00.000Z',
			usedByDevice: 'd1'
		});
	});
});
