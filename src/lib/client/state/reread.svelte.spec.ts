import { describe, expect, it } from 'vitest';
import { recordVisit, getVisit } from '$lib/client/db/visits';
import { openTestDb } from '$lib/client/db/testing';
import { makeVisit } from '$factories/visit';
import { Reread } from './reread.svelte';

/** A read the test answers when it chooses, to make two reads overlap. */
function deferred<T>() {
	let resolve!: (value: T) => void;
	let reject!: (reason: unknown) => void;
	const promise = new Promise<T>((yes, no) => {
		resolve = yes;
		reject = no;
	});
	return { promise, resolve, reject };
}

describe('Reread', () => {
	it('shows the initial value until a read answers, then what it read', async () => {
		const reread = new Reread<string[]>([]);
		expect(reread.current).toEqual([]);
		await reread.run(async () => ['a']);
		expect(reread.current).toEqual(['a']);
	});

	it('drops a stale result: an older read answering after a newer one changes nothing', async () => {
		const reread = new Reread('initial');
		const older = deferred<string>();
		const newer = deferred<string>();
		const first = reread.run(() => older.promise);
		const second = reread.run(() => newer.promise);
		newer.resolve('newer');
		await second;
		expect(reread.current).toBe('newer');
		older.resolve('older');
		await first;
		expect(reread.current).toBe('newer');
	});

	it('keeps the newest result when reads answer in order', async () => {
		const reread = new Reread(0);
		const older = deferred<number>();
		const newer = deferred<number>();
		const first = reread.run(() => older.promise);
		const second = reread.run(() => newer.promise);
		older.resolve(1);
		await first;
		// The older read is already superseded by the one in flight: it is not shown either.
		expect(reread.current).toBe(0);
		newer.resolve(2);
		await second;
		expect(reread.current).toBe(2);
	});

	it('leaves what is shown as it was when a read fails', async () => {
		const reread = new Reread('shown');
		const failing = deferred<string>();
		const run = reread.run(() => failing.promise);
		failing.reject(new Error('storage unavailable'));
		await run;
		expect(reread.current).toBe('shown');
	});

	it('re-reads the tablet database: a write between two reads shows in the newest one only', async () => {
		const db = openTestDb();
		const visit = makeVisit();
		const reread = new Reread<boolean | null>(null);
		const gate = deferred<void>();
		const before = reread.run(async () => {
			const found = (await getVisit(db, visit.id)) !== undefined;
			await gate.promise;
			return found;
		});
		await recordVisit(db, visit);
		await reread.run(async () => (await getVisit(db, visit.id)) !== undefined);
		expect(reread.current).toBe(true);
		gate.resolve();
		await before;
		expect(reread.current).toBe(true);
	});
});
