import { afterEach, describe, expect, it } from 'vitest';
import { openTestStore } from '$factories/store';
import type { Store } from '../store';

let store: Store | null = null;
afterEach(async () => {
	await store?.close();
	store = null;
});

describe('the throttles repository', () => {
	it('keeps one state per key of a scope, and reads only what is not forgotten yet', async () => {
		store = await openTestStore();
		await store.throttles.put('s', 'a', { amount: 2, atMs: 100 }, 1000);
		await store.throttles.put('s', 'a', { amount: 3, atMs: 200 }, 2000);
		await store.throttles.put('t', 'a', { amount: 0.5, atMs: 300 }, 500);
		expect(await store.throttles.get('s', ['a', 'b'], 1999)).toEqual(
			new Map([['a', { amount: 3, atMs: 200 }]])
		);
		expect(await store.throttles.get('s', ['a'], 2000)).toEqual(new Map());
		expect(await store.throttles.get('t', ['a'], 0)).toEqual(new Map([['a', { amount: 0.5, atMs: 300 }]]));
		await store.throttles.delete('t', 'a');
		expect(await store.throttles.count()).toBe(1);
	});

	it('sweeps the forgotten rows, oldest first, at most as many as asked', async () => {
		store = await openTestStore();
		for (let i = 0; i < 10; i++) await store.throttles.put('s', `k${i}`, { amount: 1, atMs: 0 }, 100 + i);
		expect(await store.throttles.sweep(104, 3)).toBe(3);
		expect(await store.throttles.get('s', ['k0', 'k3', 'k4'], 0)).toEqual(
			new Map([
				['k3', { amount: 1, atMs: 0 }],
				['k4', { amount: 1, atMs: 0 }]
			])
		);
		expect(await store.throttles.sweep(104, 100)).toBe(2);
		expect(await store.throttles.count()).toBe(5);
	});
});
