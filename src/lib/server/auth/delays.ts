/**
 * Growing delays for one kind of key (a client address, an account's email, a device cookie). Each key counts
 * its attempts; past `free` of them, the next attempt must wait `baseMs`, then twice that, and so on up to
 * `capMs`, counted from the key's last attempt. A key quiet for `forgetMs` starts again from zero.
 *
 * An attempt is charged when it is let through, before the password is checked, and refunded if it succeeds:
 * so concurrent attempts cannot all slip in while the first one is still hashing.
 *
 * The rule only: a key's state (`amount` = attempts, `atMs` = the last one) lives in the store's throttles,
 * shared by every process (auth/brake.ts reads and writes it in one transaction). A flood of made-up keys costs
 * rows that are forgotten after `forgetMs` and swept; docs/security.md, "Sign-in", weighs it.
 */
import type { ThrottleState } from '../store/store';

export interface DelayOptions {
	/** Attempts without any wait. */
	free: number;
	/** The first wait, doubled at each further attempt. */
	baseMs: number;
	capMs: number;
	/** A key with no attempt for this long is forgotten; longer than capMs, so waiting out the cap keeps the count. */
	forgetMs: number;
}

export class GrowingDelays {
	readonly options: Readonly<DelayOptions>;

	constructor(options: DelayOptions) {
		if (options.forgetMs <= options.capMs) throw new Error('forgetMs must be longer than capMs.');
		this.options = { ...options };
	}

	/** How long a key in `state` must still wait before its next attempt (0: it may try now). */
	waitMs(state: ThrottleState | undefined, now: number): number {
		if (!this.#isLive(state, now)) return 0;
		const delay = this.delayAfter(state.amount);
		// Within the free attempts there is no wait, even when the last attempt was charged by a clock a little
		// ahead of this one (another process, or a request handled out of order).
		return delay === 0 ? 0 : Math.max(0, state.atMs + delay - now);
	}

	/** Attempts counted in `state` (none once forgotten). */
	count(state: ThrottleState | undefined, now: number): number {
		return this.#isLive(state, now) ? state.amount : 0;
	}

	/** The wait that follows `count` attempts: 0 up to `free`, then base, 2 × base... up to the cap. */
	delayAfter(count: number): number {
		const { free, baseMs, capMs } = this.options;
		if (count < free) return 0;
		// 2 ** 40 × any base is beyond any cap: the exponent is bounded so the number stays finite.
		return Math.min(capMs, baseMs * 2 ** Math.min(count - free, 40));
	}

	/** The state after an attempt let through now. */
	charged(state: ThrottleState | undefined, now: number): ThrottleState {
		// The last attempt's time never goes back: a request handled late must not shorten the next wait.
		return { amount: this.count(state, now) + 1, atMs: Math.max(now, state?.atMs ?? now) };
	}

	/** The state after one charged attempt is taken back (it succeeded): null when none is left. */
	refunded(state: ThrottleState | undefined): ThrottleState | null {
		if (!state || state.amount <= 1) return null;
		return { amount: state.amount - 1, atMs: state.atMs };
	}

	/** When a key in `state` is forgotten. */
	forgetAt(state: ThrottleState): number {
		return state.atMs + this.options.forgetMs;
	}

	#isLive(state: ThrottleState | undefined, now: number): state is ThrottleState {
		return state !== undefined && now - state.atMs < this.options.forgetMs;
	}
}
