/**
 * Limits on enrollment attempts, so enrollment codes cannot be guessed at speed: one token bucket per
 * client address (an IPv6 address counts per /64, what one subscriber gets) and one for the whole server.
 * An attempt takes a token before the code is looked up and gets it back when it enrolls a device, so in
 * effect only failed attempts count: a crew that mistypes a code a few times is never held back, while
 * every wrong guess costs. Over a limit the answer is 429 with `Retry-After`, and the code is not looked up.
 *
 * The buckets live in the store's throttles (keys hashed: auth/throttle-keys.ts), taken in one transaction:
 * every process of one database shares them, and a restart refills nothing. A full bucket has no row.
 * docs/sync-protocol.md gives the guessing rate that remains.
 */
import { throttleKeys } from '../auth/throttle-keys';
import { addressKey } from '../http/client-address';
import type { Store, StoreTransaction, ThrottleState } from '../store/store';

export interface BucketLimit {
	/** Attempts allowed at once. */
	capacity: number;
	/** Attempts given back per second, up to `capacity`. */
	refillPerSecond: number;
}

export interface EnrollLimits {
	perAddress: BucketLimit;
	overall: BucketLimit;
}

export const ENROLL_LIMITS: EnrollLimits = {
	perAddress: { capacity: 10, refillPerSecond: 1 / 10 },
	overall: { capacity: 60, refillPerSecond: 1 }
};

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

const SCOPE = { address: 'enroll.address', overall: 'enroll.overall' } as const;
/** Refilled rows deleted by each attempt taken. */
const SWEEP_PER_ATTEMPT = 20;

/** A token bucket's rule; its state (`amount` = tokens, `atMs` = when) is a throttle row, absent when full. */
class BucketRule {
	constructor(readonly limit: BucketLimit) {}

	/** Tokens at `nowMs`. */
	tokens(state: ThrottleState | undefined, nowMs: number): number {
		if (!state) return this.limit.capacity;
		const elapsed = Math.max(0, nowMs - state.atMs) / 1000;
		return Math.min(this.limit.capacity, state.amount + elapsed * this.limit.refillPerSecond);
	}

	/** Seconds until one token is there (0 when there is one now). */
	wait(state: ThrottleState | undefined, nowMs: number): number {
		const tokens = this.tokens(state, nowMs);
		return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / this.limit.refillPerSecond);
	}

	/** The state after `change` tokens (−1 taken, +1 given back) at `nowMs`. */
	after(state: ThrottleState | undefined, nowMs: number, change: number): ThrottleState {
		const atMs = Math.max(state?.atMs ?? nowMs, nowMs);
		return { amount: Math.min(this.limit.capacity, this.tokens(state, nowMs) + change), atMs };
	}

	/** When the bucket is full again (its row no longer matters). */
	fullAt(state: ThrottleState): number {
		return state.atMs + ((this.limit.capacity - state.amount) / this.limit.refillPerSecond) * 1000;
	}
}

export class EnrollLimiter {
	readonly #address: BucketRule;
	readonly #overall: BucketRule;

	constructor(limits: EnrollLimits = ENROLL_LIMITS) {
		this.#address = new BucketRule(limits.perAddress);
		this.#overall = new BucketRule(limits.overall);
	}

	/** Takes one attempt for `address`, or says how long to wait; nothing is taken when it says wait. */
	async take(store: Store, address: string | undefined, nowMs: number): Promise<TakeResult> {
		const keys = await this.#keys(store, address);
		return store.transaction(async (tx) => {
			await tx.throttles.lock([
				{ scope: SCOPE.address, key: keys.address },
				{ scope: SCOPE.overall, key: keys.overall }
			]);
			const own = await read(tx, SCOPE.address, keys.address, nowMs);
			const overall = await read(tx, SCOPE.overall, keys.overall, nowMs);
			const wait = Math.max(this.#address.wait(own, nowMs), this.#overall.wait(overall, nowMs));
			if (wait > 0) return { ok: false, retryAfterSeconds: wait };
			await write(tx, SCOPE.address, keys.address, this.#address, this.#address.after(own, nowMs, -1));
			await write(tx, SCOPE.overall, keys.overall, this.#overall, this.#overall.after(overall, nowMs, -1));
			await tx.throttles.sweep(nowMs, SWEEP_PER_ATTEMPT);
			return { ok: true };
		});
	}

	/** Gives back the attempt of `address` that enrolled a device: only failed attempts count. */
	async refund(store: Store, address: string | undefined, nowMs: number): Promise<void> {
		const keys = await this.#keys(store, address);
		await store.transaction(async (tx) => {
			await tx.throttles.lock([
				{ scope: SCOPE.address, key: keys.address },
				{ scope: SCOPE.overall, key: keys.overall }
			]);
			const own = await read(tx, SCOPE.address, keys.address, nowMs);
			const overall = await read(tx, SCOPE.overall, keys.overall, nowMs);
			if (own)
				await write(tx, SCOPE.address, keys.address, this.#address, this.#address.after(own, nowMs, 1));
			if (overall) {
				await write(tx, SCOPE.overall, keys.overall, this.#overall, this.#overall.after(overall, nowMs, 1));
			}
		});
	}

	async #keys(store: Store, address: string | undefined): Promise<{ address: string; overall: string }> {
		const [own = '', overall = ''] = await Promise.all([
			throttleKeys(store, SCOPE.address, [addressKey(address)]).then(([key]) => key),
			throttleKeys(store, SCOPE.overall, ['all']).then(([key]) => key)
		]);
		return { address: own, overall };
	}
}

async function read(
	tx: StoreTransaction,
	scope: string,
	key: string,
	nowMs: number
): Promise<ThrottleState | undefined> {
	return (await tx.throttles.get(scope, [key], nowMs)).get(key);
}

/** Writes the bucket's state, or deletes its row once it is full (a full bucket is the same as none). */
async function write(
	tx: StoreTransaction,
	scope: string,
	key: string,
	rule: BucketRule,
	state: ThrottleState
): Promise<void> {
	if (state.amount >= rule.limit.capacity) await tx.throttles.delete(scope, key);
	else await tx.throttles.put(scope, key, state, rule.fullAt(state));
}

/** The server's limiter: its rules; the buckets are in the store. */
export const enrollLimiter = new EnrollLimiter();
