/**
 * Limits on enrollment attempts, so enrollment codes cannot be guessed at speed: one token bucket per
 * client address (an IPv6 address counts per /64, what one subscriber gets) and one for the whole server.
 * An attempt takes a token before the code is looked up and gets it back when it enrolls a device, so in
 * effect only failed attempts count: a crew that mistypes a code a few times is never held back, while
 * every wrong guess costs. Over a limit the answer is 429 with `Retry-After`, and the code is not looked up.
 *
 * In memory, per process: a restart refills the buckets, and several processes behind one address would
 * each have their own (a shared store for limits comes with running several processes).
 * docs/sync-protocol.md gives the guessing rate that remains.
 */

import { addressKey } from '../http/client-address';

export interface BucketLimit {
	/** Attempts allowed at once. */
	capacity: number;
	/** Attempts given back per second, up to `capacity`. */
	refillPerSecond: number;
}

export interface EnrollLimits {
	perAddress: BucketLimit;
	overall: BucketLimit;
	/** Addresses tracked at most; beyond, buckets that have refilled (or else the oldest) are forgotten. */
	maxAddresses: number;
}

export const ENROLL_LIMITS: EnrollLimits = {
	perAddress: { capacity: 10, refillPerSecond: 1 / 10 },
	overall: { capacity: 60, refillPerSecond: 1 },
	maxAddresses: 10_000
};

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

class Bucket {
	#tokens: number;
	#at: number;

	constructor(
		readonly limit: BucketLimit,
		nowMs: number
	) {
		this.#tokens = limit.capacity;
		this.#at = nowMs;
	}

	#refill(nowMs: number): void {
		const elapsed = Math.max(0, nowMs - this.#at) / 1000;
		this.#tokens = Math.min(this.limit.capacity, this.#tokens + elapsed * this.limit.refillPerSecond);
		this.#at = Math.max(this.#at, nowMs);
	}

	/** Seconds until one token is there (0 when there is one now). */
	wait(nowMs: number): number {
		this.#refill(nowMs);
		return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.limit.refillPerSecond);
	}

	take(): void {
		this.#tokens -= 1;
	}

	give(nowMs: number): void {
		this.#refill(nowMs);
		this.#tokens = Math.min(this.limit.capacity, this.#tokens + 1);
	}

	isFull(nowMs: number): boolean {
		this.#refill(nowMs);
		return this.#tokens >= this.limit.capacity;
	}
}

export class EnrollLimiter {
	readonly #limits: EnrollLimits;
	readonly #byAddress = new Map<string, Bucket>();
	#overall: Bucket | null = null;

	constructor(limits: EnrollLimits = ENROLL_LIMITS) {
		this.#limits = limits;
	}

	/** Takes one attempt for `address`, or says how long to wait; nothing is taken when it says wait. */
	take(address: string | undefined, nowMs: number): TakeResult {
		const overall = (this.#overall ??= new Bucket(this.#limits.overall, nowMs));
		const key = addressKey(address);
		const own = this.#byAddress.get(key) ?? new Bucket(this.#limits.perAddress, nowMs);
		const wait = Math.max(own.wait(nowMs), overall.wait(nowMs));
		if (wait > 0) return { ok: false, retryAfterSeconds: wait };
		this.#remember(key, own, nowMs);
		own.take();
		overall.take();
		return { ok: true };
	}

	/** Gives back the attempt of `address` that enrolled a device: only failed attempts count. */
	refund(address: string | undefined, nowMs: number): void {
		this.#byAddress.get(addressKey(address))?.give(nowMs);
		this.#overall?.give(nowMs);
	}

	#remember(key: string, bucket: Bucket, nowMs: number): void {
		if (this.#byAddress.has(key)) return;
		if (this.#byAddress.size >= this.#limits.maxAddresses) {
			// A full bucket is the same as none; past that, forget the oldest (the overall bucket still holds).
			for (const [known, other] of this.#byAddress) if (other.isFull(nowMs)) this.#byAddress.delete(known);
			const oldest = this.#byAddress.keys().next();
			if (this.#byAddress.size >= this.#limits.maxAddresses && !oldest.done)
				this.#byAddress.delete(oldest.value);
		}
		this.#byAddress.set(key, bucket);
	}
}

/** The server's limiter: one per process. */
export const enrollLimiter = new EnrollLimiter();
