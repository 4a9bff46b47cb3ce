/**
 * `npm run migrate` (migrateDatabase) on both engines: a new database gets every migration and says so, a second
 * run applies none, and the store the server then opens is at the same version.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestPgDatabase, type TestPgDatabase } from '$factories/postgres';
import type { DatabaseConfig } from '../config';
import { migrateDatabase, openStore } from './open';
import { latestPgSchemaVersion } from './postgres/migrations';
import { latestSchemaVersion } from './sqlite/migrations';

let dir: string | null = null;
let database: TestPgDatabase | null = null;
afterEach(async () => {
	if (dir) rmSync(dir, { recursive: true, force: true });
	dir = null;
	await database?.drop();
	database = null;
});

const ENGINES: Record<string, () => Promise<{ config: DatabaseConfig; latest: number }>> = {
	sqlite: async () => {
		dir = mkdtempSync(join(tmpdir(), 'escale-migrate-'));
		// A folder that does not exist yet: the command makes it, as the server does.
		return {
			config: { engine: 'sqlite', file: join(dir, 'data', 'escale.sqlite') },
			latest: latestSchemaVersion
		};
	},
	postgres: async () => {
		database = await createTestPgDatabase();
		return {
			config: { engine: 'postgres', url: database.url, maxConnections: 2 },
			latest: latestPgSchemaVersion
		};
	}
};

describe.each(Object.entries(ENGINES))('npm run migrate on %s', (engine, make) => {
	it('applies every migration to a new database once, then none, and the server opens it as is', async () => {
		const { config, latest } = await make();
		const first = await migrateDatabase(config);
		expect(first).toEqual({
			engine,
			before: 0,
			after: latest,
			applied: Array.from({ length: latest }, (_, i) => i + 1)
		});
		expect(await migrateDatabase(config)).toEqual({ engine, before: latest, after: latest, applied: [] });
		const store = await openStore(config);
		try {
			expect(await store.health()).toMatchObject({ engine, schemaVersion: latest, ok: true });
		} finally {
			await store.close();
		}
	});
});
