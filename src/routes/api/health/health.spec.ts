import { afterEach, describe, expect, it } from 'vitest';
import { getStore, startServer, stopServer } from '$lib/server/app';
import type { ServerConfig } from '$lib/server/config';
import { latestSchemaVersion } from '$lib/server/store/sqlite/migrations';
import { version } from '../../../../package.json';
import { GET } from './+server';

const inMemory: ServerConfig = {
	dataDir: '',
	database: { engine: 'sqlite', file: ':memory:' },
	seedDemo: false
};

/** The handler reads nothing from its event; an empty one typed as the real thing keeps the call honest. */
const callHealth = () => GET({} as Parameters<typeof GET>[0]);

const silent = () => {};

afterEach(async () => {
	await stopServer();
});

describe('GET /api/health', () => {
	it('answers ok with the version and the database state, never cached', async () => {
		await startServer(inMemory, silent);
		const response = await callHealth();

		expect(response.status).toBe(200);
		expect(response.headers.get('cache-control')).toBe('no-store');
		expect(await response.json()).toMatchObject({
			status: 'ok',
			version,
			database: { engine: 'sqlite', schemaVersion: latestSchemaVersion, journalMode: 'memory', ok: true },
			time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/)
		});
	});

	it('answers 503 degraded when the database is gone', async () => {
		await startServer(inMemory, silent);
		await getStore().close();

		const response = await callHealth();
		expect(response.status).toBe(503);
		expect(await response.json()).toMatchObject({ status: 'degraded', database: { ok: false } });
	});

	it('answers 503 degraded before the server has started', async () => {
		const response = await callHealth();
		expect(response.status).toBe(503);
		expect(await response.json()).toMatchObject({ status: 'degraded', database: null });
	});
});
