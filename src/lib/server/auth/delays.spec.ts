import { describe, expect, it } from 'vitest';
import { GrowingDelays, type DelayOptions } from './delays';

const SECOND = 1000;
const OPTIONS: DelayOptions = {
	free: 2,
	baseMs: SECOND,
	capMs: 8 * SECOND,
	forgetMs: 60 * SECOND,
	maxEntries: 100
};

describe('growing delays', () => {
	it('let the free attempts through, then double the wait from the last attempt up to the cap', () => {
		const delays = new GrowingDelays(OPTIONS);
		let now = 0;
		const waits: number[] = [];
		for (let i = 0; i < 8; i++) {
			now += delays.waitMs('a', now);
			delays.charge('a', now);
			waits.push(delays.waitMs('a', now));
		}
		expect(waits).toEqual([0, 1, 2, 4, 8, 8, 8, 8].map((s) => s * SECOND));
		expect(delays.waitMs('a', now + 3 * SECOND)).toBe(5 * SECOND);
		expect(delays.waitMs('b', now)).toBe(0);
	});

	it('forget a key quiet for longer than forgetMs, and not before', () => {
		const delays = new GrowingDelays(OPTIONS);
		for (let i = 0; i < 5; i++) delays.charge('a', 0);
		expect(delays.count('a', 60 * SECOND - 1)).toBe(5);
		expect(delays.count('a', 60 * SECOND)).toBe(0);
		expect(delays.waitMs('a', 60 * SECOND)).toBe(0);
		expect(delays.size).toBe(0);
	});

	it('take back a refunded attempt, keeping the time of the last one', () => {
		const delays = new GrowingDelays(OPTIONS);
		for (let i = 0; i < 3; i++) delays.charge('a', 0);
		expect(delays.waitMs('a', 0)).toBe(2 * SECOND);
		delays.refund('a');
		expect(delays.waitMs('a', 0)).toBe(SECOND);
		delays.refund('a');
		delays.refund('a');
		expect(delays.size).toBe(0);
		delays.refund('a');
		expect(delays.count('a', 0)).toBe(0);
	});

	it('keep a bounded map under a flood of made-up keys, forgotten keys going first', () => {
		const delays = new GrowingDelays({ ...OPTIONS, maxEntries: 1000 });
		for (let i = 0; i < 50_000; i++) delays.charge(`flood-${i}`, 0);
		expect(delays.size).toBe(1000);
		// The least recently charged went first: the last thousand remain.
		expect(delays.count('flood-48999', 0)).toBe(0);
		expect(delays.count('flood-49000', 0)).toBe(1);
		// Once they are all forgotten, one new key sweeps them out at once.
		delays.charge('late', 60 * SECOND);
		expect(delays.size).toBe(1);
	});

	it('push out keys still within their free attempts before a key that is being braked', () => {
		const delays = new GrowingDelays({ ...OPTIONS, maxEntries: 100 });
		for (let i = 0; i < 5; i++) delays.charge('braked', 0);
		for (let i = 0; i < 10_000; i++) delays.charge(`flood-${i}`, SECOND);
		expect(delays.count('braked', SECOND)).toBe(5);
		expect(delays.waitMs('braked', SECOND)).toBe(7 * SECOND);
		// Only as many keys braked as hard push it out, the least recently charged first.
		for (let i = 0; i < 100; i++) {
			delays.charge(`hard-${i}`, 2 * SECOND);
			delays.charge(`hard-${i}`, 2 * SECOND);
		}
		expect(delays.count('braked', 2 * SECOND)).toBe(0);
		expect(delays.size).toBe(100);
	});

	it('refuse a forgetting time within the cap, which would let a patient attacker start afresh', () => {
		expect(() => new GrowingDelays({ ...OPTIONS, forgetMs: OPTIONS.capMs })).toThrow(/forgetMs/);
	});
});
