/**
 * Server secrets are one per database, whichever process makes them: two processes' first uses at once (two
 * stores on one PostgreSQL database) keep the same secret, so a cookie signed by one verifies on the other.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestPgDatabase, type TestPgDatabase } from '$factories/postgres';
import { openTestStore } from '$factories/store';
import { openPgStore } from '../store/postgres/pg-store';
import type { Store } from '../store/store';
import { readServerSecret } from './server-secret';

let stores: Store[] = [];
let database: TestPgDatabase | null = null;
afterEach(async () => {
	for (const store of stores) await store.close();
	stores = [];
	await database?.drop();
	database = null;
});

describe('server secrets', () => {
	it('are made once on PostgreSQL, even by two processes asking at the same moment', async () => {
		database = await createTestPgDatabase();
		const url = database.url;
		stores = await Promise.all([0, 1].map(() => openPgStore({ url, maxConnections: 2 })));
		const [one, two] = stores as [Store, Store];
		const secrets = await Promise.all([
			readServerSecret(one, 'deviceCookieSecret'),
			readServerSecret(two, 'deviceCookieSecret'),
			readServerSecret(one, 'throttleKeySecret'),
			readServerSecret(two, 'throttleKeySecret')
		]);
		expect(secrets[0]?.length).toBe(32);
		expect(secrets[0]?.equals(secrets[1] as Buffer)).toBe(true);
		expect(secrets[2]?.equals(secrets[3] as Buffer)).toBe(true);
		expect(secrets[0]?.equals(secrets[2] as Buffer)).toBe(false);
	});

	it('replace a stored value that is not a secret, and keep it afterwards', async () => {
		const store = await openTestStore();
		stores = [store];
		await store.meta.set('deviceCookieSecret', 'not a secret');
		const secret = await readServerSecret(store, 'deviceCookieSecret');
		expect(secret.length).toBe(32);
		expect(await store.meta.get('deviceCookieSecret')).toBe(secret.toString('base64url'));
	});
});
