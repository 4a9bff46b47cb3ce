/**
 * Vitest setup file (vite.config.ts), run before each test file. Hands tests/factories/postgres.ts the run's
 * migrated template, made by the global setup (tests/setup/postgres.ts); kept apart from the factories, which
 * the bench bundles and which must not import Vitest. And closes the PostgreSQL stores a test left open (with
 * their database) when it ends, and those of the file when it ends (tests/factories/store.ts says why).
 */
import { afterAll, afterEach, beforeEach, inject } from 'vitest';
import { useTestPgRun } from '../factories/postgres';
import { listOpenPgTestStores } from '../factories/store';
import type { Store } from '../../src/lib/server/store/store';

useTestPgRun(inject('escaleTestPg'));

async function closeAll(stores: Store[]): Promise<void> {
	for (const store of stores) await store.close();
}

let before = new Set<Store>();
beforeEach(() => {
	before = new Set(listOpenPgTestStores());
});
afterEach(() => closeAll(listOpenPgTestStores().filter((store) => !before.has(store))));
afterAll(() => closeAll(listOpenPgTestStores()));
