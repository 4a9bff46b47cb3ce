import { afterEach, describe, expect, it } from 'vitest';
import { createTestPgDatabase, type TestPgDatabase } from '$factories/postgres';
import type { Store } from '../store';
import { latestPgSchemaVersion } from './migrations';
import { openPgStore } from './pg-store';

let database: TestPgDatabase | null = null;
let store: Store | null = null;
afterEach(async () => {
	await store?.close();
	await database?.drop();
	[store, database] = [null, null];
});

describe('the PostgreSQL store', () => {
	it('lets pushes write on a fifth of its pool, the rest kept for pages and sign-ins', async () => {
		database = await createTestPgDatabase();
		store = await openPgStore({ url: database.url });
		expect(store.writersAtOnce).toBe(2);
		await store.close();
		store = await openPgStore({ url: database.url, maxConnections: 30 });
		expect(store.writersAtOnce).toBe(6);
		await store.close();
		store = await openPgStore({ url: database.url, maxConnections: 1 });
		expect(store.writersAtOnce).toBe(1);
	});

	it('is healthy with durable commits, and says it is not when commits skip the disk', async () => {
		database = await createTestPgDatabase();
		store = await openPgStore({ url: database.url });
		expect(await store.health()).toEqual({
			engine: 'postgres',
			schemaVersion: latestPgSchemaVersion,
			journalMode: 'synchronous_commit=on',
			ok: true
		});
		await store.close();
		const fast = await createTestPgDatabase({ fast: true });
		try {
			store = await openPgStore({ url: fast.url });
			expect(await store.health()).toMatchObject({ journalMode: 'synchronous_commit=off', ok: false });
		} finally {
			await store?.close();
			store = null;
			await fast.drop();
		}
	});

	it('commits a transaction whole or not at all, and refuses the store itself inside one', async () => {
		database = await createTestPgDatabase();
		store = await openPgStore({ url: database.url });
		const opened = store;
		await expect(
			opened.transaction(async (tx) => {
				await tx.meta.set('demoSeededAt', '2026-03-10T10:00:00.000Z');
				throw new Error('refused');
			})
		).rejects.toThrow('refused');
		expect(await opened.meta.get('demoSeededAt')).toBeNull();
		await expect(opened.transaction(() => opened.meta.get('demoSeededAt'))).rejects.toThrow(/use the tx/);
		await opened.transaction((tx) => tx.meta.set('demoSeededAt', '2026-03-10T10:00:00.000Z'));
		expect(await opened.meta.get('demoSeededAt')).toBe('2026-03-10T10:00:00.000Z');
	});
});
