import { describe, expect, it } from 'vitest';
import type { ThrottleState } from '../store/store';
import { GrowingDelays, type DelayOptions } from './delays';

const SECOND = 1000;
const OPTIONS: DelayOptions = { free: 2, baseMs: SECOND, capMs: 8 * SECOND, forgetMs: 60 * SECOND };

describe('growing delays', () => {
	it('let the free attempts through, then double the wait from the last attempt up to the cap', () => {
		const delays = new GrowingDelays(OPTIONS);
		let now = 0;
		let state: ThrottleState | undefined;
		const waits: number[] = [];
		for (let i = 0; i < 8; i++) {
			now += delays.waitMs(state, now);
			state = delays.charged(state, now);
			waits.push(delays.waitMs(state, now));
		}
		expect(waits).toEqual([0, 1, 2, 4, 8, 8, 8, 8].map((s) => s * SECOND));
		expect(delays.waitMs(state, now + 3 * SECOND)).toBe(5 * SECOND);
		expect(delays.waitMs(undefined, now)).toBe(0);
	});

	it('forget a key quiet for longer than forgetMs, and not before', () => {
		const delays = new GrowingDelays(OPTIONS);
		const state = { amount: 5, atMs: 0 };
		expect(delays.count(state, 60 * SECOND - 1)).toBe(5);
		expect(delays.count(state, 60 * SECOND)).toBe(0);
		expect(delays.waitMs(state, 60 * SECOND)).toBe(0);
		expect(delays.charged(state, 60 * SECOND)).toEqual({ amount: 1, atMs: 60 * SECOND });
		expect(delays.forgetAt(state)).toBe(60 * SECOND);
	});

	it('take back a refunded attempt, keeping the time of the last one', () => {
		const delays = new GrowingDelays(OPTIONS);
		const three = { amount: 3, atMs: 0 };
		expect(delays.waitMs(three, 0)).toBe(2 * SECOND);
		const two = delays.refunded(three);
		expect(two).toEqual({ amount: 2, atMs: 0 });
		expect(delays.waitMs(two ?? undefined, 0)).toBe(SECOND);
		expect(delays.refunded({ amount: 1, atMs: 0 })).toBeNull();
		expect(delays.refunded(undefined)).toBeNull();
	});

	it('make no one wait within the free attempts, and keep the latest time, when attempts come out of clock order', () => {
		const delays = new GrowingDelays(OPTIONS);
		// Charged at 1,200 ms by one request; another, handled after it, carries 1,050 ms.
		const one = delays.charged(undefined, 1200);
		expect(delays.waitMs(one, 1050)).toBe(0);
		const two = delays.charged(one, 1050);
		expect(two).toEqual({ amount: 2, atMs: 1200 });
		// Past the free attempts the wait counts from the latest attempt.
		expect(delays.waitMs(two, 1100)).toBe(SECOND + 100);
	});

	it('refuse a forgetting time within the cap, which would let a patient attacker start afresh', () => {
		expect(() => new GrowingDelays({ ...OPTIONS, forgetMs: OPTIONS.capMs })).toThrow(/forgetMs/);
	});
});
