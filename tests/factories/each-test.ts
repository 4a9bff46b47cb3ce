/**
 * A fresh store for each test of a spec file (or of the describe block that calls it): opened and seeded
 * before each test, closed after it. Kept apart from store.ts, which the bench bundles, because it registers
 * Vitest hooks.
 */
import { afterEach, beforeEach } from 'vitest';
import type { Store } from '$lib/server/store/store';
import { openTestStore, type TestStoreOptions } from './store';

/** `receive` is handed each test's store, for the spec to keep in its own `let store`. */
export function storeForEachTest(receive: (store: Store) => void, options: TestStoreOptions = {}): void {
	let store: Store | null = null;
	beforeEach(async () => {
		store = await openTestStore(options);
		receive(store);
	});
	afterEach(async () => {
		await store?.close();
		store = null;
	});
}
