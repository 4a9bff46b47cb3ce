/**
 * The meta repository, one contract for both engines (issue 12, item 1): the same assertions on the SQLite
 * store and on the PostgreSQL adapter, each on a database of its own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresEngine, openSqliteEngine } from '$factories/engines';
import { createPgMetaRepository } from './postgres/meta';
import type { MetaRepository } from './store';

interface Opened {
	meta: MetaRepository;
	close(): Promise<void>;
}

const now = () => '2026-12-01T10:00:00.000Z';

const ENGINES: Record<string, () => Promise<Opened>> = {
	sqlite: async () => {
		const { store, close } = await openSqliteEngine();
		return { meta: store.meta, close };
	},
	postgres: async () => {
		const { scope, close } = await openPostgresEngine();
		return { meta: createPgMetaRepository(scope, now), close };
	}
};

let opened: Opened | null = null;
afterEach(async () => {
	await opened?.close();
	opened = null;
});

describe.each(Object.entries(ENGINES))('the meta repository on %s', (_engine, open) => {
	it('keeps small facts about the database, the last value written winning', async () => {
		opened = await open();
		const { meta } = opened;
		expect(await meta.get('demoSeededAt')).toBeNull();
		await meta.set('demoSeededAt', '2026-11-27');
		await meta.set('demoSeededAt', '2026-11-28');
		expect(await meta.get('demoSeededAt')).toBe('2026-11-28');
	});

	it('keeps each key apart, and a value exactly as given', async () => {
		opened = await open();
		const { meta } = opened;
		await meta.set('referenceVersion', '  v2 ');
		await meta.set('throttleKeySecret', '');
		expect(await meta.get('referenceVersion')).toBe('  v2 ');
		expect(await meta.get('throttleKeySecret')).toBe('');
		expect(await meta.get('deviceCookieSecret')).toBeNull();
	});

	it('claims a key once: the first value written stays, and a second claim returns it', async () => {
		opened = await open();
		const { meta } = opened;
		expect(await meta.claim('deviceCookieSecret', 'first')).toBe('first');
		expect(await meta.claim('deviceCookieSecret', 'second')).toBe('first');
		expect(await meta.get('deviceCookieSecret')).toBe('first');
		const claims = await Promise.all(
			['a', 'b', 'c', 'd'].map((value) => meta.claim('throttleKeySecret', value))
		);
		expect(new Set(claims).size).toBe(1);
		expect(await meta.get('throttleKeySecret')).toBe(claims[0]);
	});
});
