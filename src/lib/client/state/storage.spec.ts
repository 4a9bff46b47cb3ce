import { IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { EscaleDb } from '$lib/client/db/schema';
import { checkStorage, type StorageManagerLike } from '$lib/client/db/storage';
import { openTestDb } from '$lib/client/db/testing';
import { StorageState } from './storage.svelte';

/** navigator.storage as a browser would answer: the one stand-in these tests use. */
function browserStorage(answers: { persisted: boolean; grants: boolean; usage?: number; quota?: number }) {
	const calls: string[] = [];
	const storage: StorageManagerLike = {
		persisted: async () => (calls.push('persisted'), answers.persisted),
		persist: async () => (calls.push('persist'), answers.grants),
		estimate: async () => ({ usage: answers.usage, quota: answers.quota })
	};
	return { storage, calls };
}

/** Firefox's private windows (before 115) refuse to open IndexedDB with an InvalidStateError. */
const privateWindowIndexedDb = {
	open: () => {
		throw new DOMException(
			'A mutation operation was attempted on a database that did not allow mutations.',
			'InvalidStateError'
		);
	}
};

function stateFor(storage: StorageManagerLike | undefined, db: EscaleDb = openTestDb()): StorageState {
	return new StorageState(() => checkStorage({ storage, openDatabase: () => db.open() }));
}

describe('storage state', () => {
	it('starts as checking, before anything is known', () => {
		const state = stateFor(browserStorage({ persisted: true, grants: true }).storage);
		expect([state.status, state.usage, state.quota]).toEqual(['checking', null, null]);
	});

	it('reports persisted without asking again when the browser already granted it', async () => {
		const { storage, calls } = browserStorage({
			persisted: true,
			grants: true,
			usage: 12_000_000,
			quota: 2e9
		});
		const state = stateFor(storage);
		await state.refresh();
		expect([state.status, state.usage, state.quota]).toEqual(['persisted', 12_000_000, 2e9]);
		expect(calls).toEqual(['persisted']);
	});

	it('asks for persistence when not yet granted, and reports the answer', async () => {
		const granted = browserStorage({ persisted: false, grants: true });
		const grantedState = stateFor(granted.storage);
		await grantedState.refresh();
		expect(grantedState.status).toBe('persisted');
		expect(granted.calls).toEqual(['persisted', 'persist']);

		const denied = stateFor(browserStorage({ persisted: false, grants: false }).storage);
		await denied.refresh();
		expect(denied.status).toBe('notPersisted');
	});

	it('reports not persisted when the browser has no storage manager at all', async () => {
		const state = stateFor(undefined);
		await state.refresh();
		expect([state.status, state.usage, state.quota]).toEqual(['notPersisted', null, null]);
	});

	it('reports not persisted when asking fails', async () => {
		const storage: StorageManagerLike = {
			persisted: async () => false,
			persist: () => Promise.reject(new DOMException('Not allowed', 'NotAllowedError'))
		};
		const state = stateFor(storage);
		await state.refresh();
		expect(state.status).toBe('notPersisted');
	});

	it('reports unavailable when IndexedDB cannot open, as in a private window', async () => {
		const { storage, calls } = browserStorage({ persisted: false, grants: true, usage: 0, quota: 0 });
		const db = new EscaleDb('escale-test', { indexedDB: privateWindowIndexedDb, IDBKeyRange });
		const state = stateFor(storage, db);
		await state.refresh();
		expect(state.status).toBe('unavailable');
		expect(calls).not.toContain('persist');
	});

	it('runs one check for concurrent refreshes and a new one afterwards', async () => {
		let runs = 0;
		const state = new StorageState(async () => (runs++, { status: 'persisted', usage: runs, quota: 10 }));
		await Promise.all([state.refresh(), state.refresh()]);
		expect(runs).toBe(1);
		await state.refresh();
		expect([runs, state.usage]).toEqual([2, 2]);
	});
});
