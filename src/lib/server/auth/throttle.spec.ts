import { describe, expect, it } from 'vitest';
import { SignInThrottle } from './throttle';

const MIN = 60_000;

describe('the sign-in brake', () => {
	it('locks an email for 15 minutes after 5 failures within 15 minutes', () => {
		const throttle = new SignInThrottle();
		const t0 = 1_000_000_000;
		for (let i = 0; i < 4; i++) expect(throttle.recordFailure('a@x.fr', t0 + i * MIN)).toBe(false);
		expect(throttle.lockedUntil('a@x.fr', t0 + 4 * MIN)).toBeNull();
		expect(throttle.recordFailure('a@x.fr', t0 + 4 * MIN)).toBe(true);
		expect(throttle.lockedUntil('a@x.fr', t0 + 5 * MIN)).toBe(t0 + 19 * MIN);
		expect(throttle.lockedUntil('b@x.fr', t0 + 5 * MIN)).toBeNull();
		expect(throttle.lockedUntil('a@x.fr', t0 + 19 * MIN)).toBeNull();
	});

	it('forgets failures older than the window', () => {
		const throttle = new SignInThrottle();
		for (let i = 0; i < 4; i++) throttle.recordFailure('a@x.fr', i * MIN);
		// The 5th comes 16 minutes after the 1st: only 4 remain inside the window.
		expect(throttle.recordFailure('a@x.fr', 16 * MIN)).toBe(false);
		expect(throttle.lockedUntil('a@x.fr', 16 * MIN)).toBeNull();
	});

	it('clears the count on success', () => {
		const throttle = new SignInThrottle();
		for (let i = 0; i < 4; i++) throttle.recordFailure('a@x.fr', i);
		throttle.recordSuccess('a@x.fr');
		expect(throttle.recordFailure('a@x.fr', 10)).toBe(false);
	});

	it('tracks a bounded number of emails', () => {
		const throttle = new SignInThrottle({ maxEntries: 3, maxFailures: 2 });
		for (const email of ['a', 'b', 'c', 'd']) throttle.recordFailure(email, 0);
		// 'a' was dropped as the oldest: its next failure is its first again.
		expect(throttle.recordFailure('a', 1)).toBe(false);
		expect(throttle.recordFailure('d', 1)).toBe(true);
	});
});
