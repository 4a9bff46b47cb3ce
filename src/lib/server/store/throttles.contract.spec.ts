/**
 * The throttles repository, one contract for both engines (issue 12, item 2): the same assertions on the
 * SQLite store and on the PostgreSQL adapter, each on a database of its own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresEngine, openSqliteEngine } from '$factories/engines';
import { createPgThrottleRepository } from './postgres/throttles';
import type { ThrottleRepository } from './store';

interface Opened {
	throttles: ThrottleRepository;
	close(): Promise<void>;
}

const ENGINES: Record<string, () => Promise<Opened>> = {
	sqlite: async () => {
		const { store, close } = await openSqliteEngine();
		return { throttles: store.throttles, close };
	},
	postgres: async () => {
		const { scope, close } = await openPostgresEngine();
		return { throttles: createPgThrottleRepository(scope), close };
	}
};

let opened: Opened | null = null;
afterEach(async () => {
	await opened?.close();
	opened = null;
});

describe.each(Object.entries(ENGINES))('the throttles repository on %s', (_engine, open) => {
	it('keeps one state per key of a scope, and reads only what is not forgotten yet', async () => {
		opened = await open();
		const { throttles } = opened;
		await throttles.put('s', 'a', { amount: 2, atMs: 100 }, 1000);
		await throttles.put('s', 'a', { amount: 3, atMs: 200 }, 2000);
		await throttles.put('t', 'a', { amount: 0.5, atMs: 300 }, 500);
		expect(await throttles.get('s', ['a', 'b'], 1999)).toEqual(new Map([['a', { amount: 3, atMs: 200 }]]));
		expect(await throttles.get('s', ['a'], 2000)).toEqual(new Map());
		expect(await throttles.get('t', ['a'], 0)).toEqual(new Map([['a', { amount: 0.5, atMs: 300 }]]));
		expect(await throttles.get('t', [], 0)).toEqual(new Map());
		await throttles.delete('t', 'a');
		expect(await throttles.count()).toBe(1);
	});

	it('sweeps the forgotten rows, oldest first, at most as many as asked', async () => {
		opened = await open();
		const { throttles } = opened;
		for (let i = 0; i < 10; i++) await throttles.put('s', `k${i}`, { amount: 1, atMs: 0 }, 100 + i);
		expect(await throttles.sweep(104, 3)).toBe(3);
		expect(await throttles.get('s', ['k0', 'k3', 'k4'], 0)).toEqual(
			new Map([
				['k3', { amount: 1, atMs: 0 }],
				['k4', { amount: 1, atMs: 0 }]
			])
		);
		expect(await throttles.sweep(104, 100)).toBe(2);
		expect(await throttles.count()).toBe(5);
	});
});
