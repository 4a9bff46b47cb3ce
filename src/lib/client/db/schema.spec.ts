import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { countPending, enqueue, listPending, outboxTables } from './outbox';
import { EscaleDb, type VersionChange } from './schema';
import { openTestDb } from './testing';

/**
 * The stores exactly as version 1 of the app declared them, frozen here on purpose: a tablet in the field
 * may hold a database written by this version, and every later version must open it.
 */
const STORES_OF_VERSION_1 = {
	serviceDays: 'id, [busId+date], stopId',
	stops: 'id, busId',
	buses: 'id',
	visits: 'id, serviceDayId, recordedAt',
	referrals: 'id, status, recordedAt, visitId',
	outbox: '++seq, &mutationId, [status+seq], entityId',
	meta: 'key'
};

/** What version 2 changed (issue 4), frozen for the same reason. */
const STORES_OF_VERSION_2 = {
	visits: 'id, serviceDayId, recordedAt, correctionOf',
	serviceDayReports: '++id, serviceDayId'
};

/** What version 3 changed (issue 11), frozen for the same reason. */
const STORES_OF_VERSION_3 = {
	visitWithdrawals: 'visitId, serviceDayId'
};

function openAsVersion1(factory: IDBFactory): Dexie {
	const db = new Dexie('escale-test', { indexedDB: factory, IDBKeyRange });
	db.version(1).stores(STORES_OF_VERSION_1);
	return db;
}

describe('EscaleDb', () => {
	it('opens every transaction with strict durability, so a reported commit survives a power cut', async () => {
		const db = openTestDb();
		const durability = await db.transaction('rw', db.meta, (tx) => tx.idbtrans.durability);
		expect(durability).toBe('strict');
	});

	it('keeps strict durability even when the caller asks for relaxed', async () => {
		const options = {
			indexedDB: new IDBFactory(),
			IDBKeyRange,
			chromeTransactionDurability: 'relaxed'
		} as const;
		const db = new EscaleDb('escale-test', options);
		expect(await db.transaction('r', db.meta, (tx) => tx.idbtrans.durability)).toBe('strict');
	});

	it('opens a database written by version 1 with its rows and its queue intact', async () => {
		const factory = new IDBFactory();
		const old = openAsVersion1(factory);
		await old
			.table('visits')
			.add({ id: 'v-old', serviceDayId: 'sd-1', recordedAt: '2026-03-02T09:15:00.000Z' });
		await old.table('serviceDays').add({ id: 'sd-1', busId: 'fs-1', date: '2026-03-02', start: '09:00' });
		await old.table('meta').put({ key: 'outbox.lastMutationId', value: 7 });
		await old.table('outbox').add({
			mutationId: 7,
			kind: 'visit.create',
			entityId: 'v-old',
			payload: { id: 'v-old' },
			createdAt: '2026-03-02T09:15:00.000Z',
			schemaVersion: 1,
			status: 'pending',
			rejectedReason: null
		});
		old.close();

		const db = openTestDb(factory);
		expect(await db.visits.get('v-old')).toMatchObject({ serviceDayId: 'sd-1' });
		expect(await db.serviceDays.where('[busId+date]').equals(['fs-1', '2026-03-02']).count()).toBe(1);
		expect(await listPending(db, 10)).toMatchObject([{ mutationId: 7, schemaVersion: 1 }]);

		const next = await db.transaction('rw', outboxTables(db), (tx) =>
			enqueue(tx, {
				kind: 'visit.create',
				entityId: 'v-new',
				payload: { id: 'v-new' } as never,
				createdAt: '2026-03-03T10:00:00.000Z'
			})
		);
		expect(next).toBe(8);
		expect(await countPending(db)).toBe(2);
	});

	it('upgrades a version 1 database through version 2: reports table and correctionOf index over old rows', async () => {
		const factory = new IDBFactory();
		const old = openAsVersion1(factory);
		await old.table('visits').bulkAdd([
			{ id: 'v-1', serviceDayId: 'sd-1', recordedAt: '2026-03-02T09:15:00.000Z' },
			{ id: 'v-2', serviceDayId: 'sd-1', recordedAt: '2026-03-02T09:20:00.000Z', correctionOf: 'v-1' }
		]);
		old.close();

		const db = openTestDb(factory);
		await db.open();
		expect(db.verno).toBe(3);
		expect(await db.visits.where('correctionOf').equals('v-1').primaryKeys()).toEqual(['v-2']);
		await db.serviceDayReports.add({ serviceDayId: 'sd-1', report: 'held', at: '2026-03-02T09:00:00.000Z' });
		expect(await db.serviceDayReports.where('serviceDayId').equals('sd-1').count()).toBe(1);
	});

	it('upgrades a version 2 database to version 3: a withdrawals table, old rows and queue kept', async () => {
		const factory = new IDBFactory();
		const old = new Dexie('escale-test', { indexedDB: factory, IDBKeyRange });
		old.version(1).stores(STORES_OF_VERSION_1);
		old.version(2).stores(STORES_OF_VERSION_2);
		await old
			.table('visits')
			.add({ id: 'v-1', serviceDayId: 'sd-1', recordedAt: '2026-03-02T09:15:00.000Z' });
		old.close();

		const db = openTestDb(factory);
		await db.open();
		expect(db.verno).toBe(3);
		expect(await db.visits.get('v-1')).toMatchObject({ serviceDayId: 'sd-1' });
		await db.visitWithdrawals.add({ visitId: 'v-1', serviceDayId: 'sd-1', at: '2026-03-02T09:16:00.000Z' });
		expect(await db.visitWithdrawals.where('serviceDayId').equals('sd-1').primaryKeys()).toEqual(['v-1']);
	});

	it('closes itself and tells the app when another tab opens a newer version', async () => {
		const factory = new IDBFactory();
		const db = openTestDb(factory);
		await db.open();
		const changes: VersionChange[] = [];
		db.onVersionChange((change) => changes.push(change));

		const newer = new Dexie('escale-test', { indexedDB: factory, IDBKeyRange });
		newer.version(1).stores(STORES_OF_VERSION_1);
		newer.version(2).stores(STORES_OF_VERSION_2);
		newer.version(3).stores(STORES_OF_VERSION_3);
		newer.version(4).stores({ meta: 'key, updatedAt' });
		await newer.open();

		expect(changes).toEqual([{ oldVersion: 3, newVersion: 4 }]);
		expect(db.isOpen()).toBe(false);
		await expect(db.visits.count()).rejects.toThrow(Dexie.DatabaseClosedError);
		newer.close();
	});

	it('tells the app when another tab deletes the database', async () => {
		const factory = new IDBFactory();
		const db = openTestDb(factory);
		await db.open();
		const changes: VersionChange[] = [];
		db.onVersionChange((change) => changes.push(change));

		await new Dexie('escale-test', { indexedDB: factory, IDBKeyRange }).delete();
		expect(changes).toEqual([{ oldVersion: 3, newVersion: null }]);
	});

	it('stops telling a listener that unsubscribed', async () => {
		const factory = new IDBFactory();
		const db = openTestDb(factory);
		await db.open();
		const changes: VersionChange[] = [];
		const unsubscribe = db.onVersionChange((change) => changes.push(change));
		unsubscribe();

		await new Dexie('escale-test', { indexedDB: factory, IDBKeyRange }).delete();
		expect(changes).toEqual([]);
		expect(db.isOpen()).toBe(false);
	});
});
