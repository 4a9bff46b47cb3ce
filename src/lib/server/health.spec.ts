import { describe, expect, it } from 'vitest';
import { appVersion, checkHealth } from './health';
import { storeForEachTest } from '$factories/each-test';
import { latestPgSchemaVersion } from './store/postgres/migrations';
import { latestSchemaVersion } from './store/sqlite/migrations';
import type { Store } from './store/store';
import { version } from '../../../package.json';

let store: Store;
storeForEachTest((opened) => (store = opened));

describe('the health report', () => {
	it("gives package.json's version, the database state and the server time", async () => {
		const report = await checkHealth(store, new Date('2026-11-27T08:00:00Z'));

		expect(appVersion).toBe(version);
		expect(report).toEqual({
			status: 'ok',
			version,
			database:
				store.engine === 'sqlite'
					? { engine: 'sqlite', schemaVersion: latestSchemaVersion, journalMode: 'memory', ok: true }
					: {
							engine: 'postgres',
							schemaVersion: latestPgSchemaVersion,
							journalMode: 'synchronous_commit=on',
							ok: true
						},
			time: '2026-11-27T08:00:00.000Z'
		});
	});

	it('is degraded when the database no longer answers', async () => {
		await store.close();
		expect(await checkHealth(store)).toMatchObject({ status: 'degraded', database: { ok: false } });
	});

	it('is degraded when there is no store at all', async () => {
		expect(await checkHealth(null)).toMatchObject({ status: 'degraded', database: null });
	});
});
