/**
 * Store.exclusive, on both engines: work under one name never overlaps, across two stores opened on one
 * PostgreSQL database as across two callers of one SQLite store (one process per SQLite file); the lock is
 * given back when the work throws.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestPgDatabase } from '$factories/postgres';
import { openTestStore } from '$factories/store';
import { openPgStore } from './postgres/pg-store';
import type { Store } from './store';

interface Pair {
	first: Store;
	second: Store;
	close(): Promise<void>;
}

const ENGINES: Record<string, () => Promise<Pair>> = {
	sqlite: async () => {
		const store = await openTestStore();
		return { first: store, second: store, close: () => store.close() };
	},
	postgres: async () => {
		const database = await createTestPgDatabase({ migrated: true });
		const first = await openPgStore({ url: database.url, maxConnections: 3 });
		const second = await openPgStore({ url: database.url, maxConnections: 3 });
		return {
			first,
			second,
			close: async () => {
				await first.close();
				await second.close();
				await database.drop();
			}
		};
	}
};

let opened: Pair | null = null;
afterEach(async () => {
	await opened?.close();
	opened = null;
});

describe.each(Object.entries(ENGINES))('exclusive work on %s', (_engine, open) => {
	it('runs one caller at a time, each seeing what the previous one wrote, and frees the lock after a throw', async () => {
		opened = await open();
		const { first, second } = opened;
		let inside = 0;
		let most = 0;
		const events: string[] = [];
		const work = (store: Store, name: string, fail = false) =>
			store.exclusive('demo-start', async () => {
				inside++;
				most = Math.max(most, inside);
				const seen = await store.meta.get('demoSeededAt');
				events.push(`${name} saw ${seen ?? 'nothing'}`);
				// Awaits on the database while holding the lock: the other caller must not get in meanwhile.
				for (let i = 0; i < 5; i++) await store.meta.set('demoSeededAt', `${name}-${i}`);
				inside--;
				if (fail) throw new Error(`${name} failed`);
				return name;
			});
		const results = await Promise.allSettled([
			work(first, 'a', true),
			work(second, 'b'),
			work(first, 'c'),
			work(second, 'd')
		]);
		expect(most).toBe(1);
		expect(results.map((result) => result.status)).toEqual([
			'rejected',
			'fulfilled',
			'fulfilled',
			'fulfilled'
		]);
		// Each caller but the first found the last value its predecessor wrote.
		expect(events[0]).toBe(`${events[0]?.split(' ')[0]} saw nothing`);
		for (let i = 1; i < events.length; i++) {
			const previous = events[i - 1]?.split(' ')[0];
			expect(events[i]).toMatch(new RegExp(` saw ${previous}-4$`));
		}
		await expect(second.exclusive('demo-start', async () => 'free')).resolves.toBe('free');
	});
});
