/**
 * Growing delays for one kind of key (a client address, an account's email, a device cookie). Each key counts
 * its attempts; past `free` of them, the next attempt must wait `baseMs`, then twice that, and so on up to
 * `capMs`, counted from the key's last attempt. A key quiet for `forgetMs` starts again from zero.
 *
 * An attempt is charged when it is let through, before the password is checked, and refunded if it succeeds:
 * so concurrent attempts cannot all slip in while the first one is still hashing.
 *
 * Kept in memory, per process, in a map of at most `maxEntries` keys (see #makeRoom for which key goes when it
 * is full). A flood of made-up keys therefore costs bounded memory; what it can buy (pushing a braked key out)
 * is weighed in docs/security.md, "Sign-in".
 */

export interface DelayOptions {
	/** Attempts without any wait. */
	free: number;
	/** The first wait, doubled at each further attempt. */
	baseMs: number;
	capMs: number;
	/** A key with no attempt for this long is forgotten; longer than capMs, so waiting out the cap keeps the count. */
	forgetMs: number;
	maxEntries: number;
}

interface Entry {
	count: number;
	lastAt: number;
}

export class GrowingDelays {
	readonly options: Readonly<DelayOptions>;
	#entries = new Map<string, Entry>();

	constructor(options: DelayOptions) {
		if (options.forgetMs <= options.capMs) throw new Error('forgetMs must be longer than capMs.');
		this.options = { ...options };
	}

	/** How long `key` must still wait before its next attempt (0: it may try now). */
	waitMs(key: string, now: number): number {
		const entry = this.#live(key, now);
		if (!entry) return 0;
		return Math.max(0, entry.lastAt + this.delayAfter(entry.count) - now);
	}

	/** Attempts counted for `key` (forgotten ones excluded). */
	count(key: string, now: number): number {
		return this.#live(key, now)?.count ?? 0;
	}

	/** The wait that follows `count` attempts: 0 up to `free`, then base, 2 × base... up to the cap. */
	delayAfter(count: number): number {
		const { free, baseMs, capMs } = this.options;
		if (count < free) return 0;
		// 2 ** 40 × any base is beyond any cap: the exponent is bounded so the number stays finite.
		return Math.min(capMs, baseMs * 2 ** Math.min(count - free, 40));
	}

	/** Counts an attempt let through now. */
	charge(key: string, now: number): void {
		const entry = this.#live(key, now) ?? { count: 0, lastAt: now };
		this.#entries.delete(key);
		this.#makeRoom(now);
		this.#entries.set(key, { count: entry.count + 1, lastAt: now });
	}

	/** Takes back one charged attempt (it succeeded); the last attempt's time stays. */
	refund(key: string): void {
		const entry = this.#entries.get(key);
		if (!entry) return;
		if (entry.count <= 1) this.#entries.delete(key);
		else entry.count -= 1;
	}

	/** Forgets `key` altogether. */
	clear(key: string): void {
		this.#entries.delete(key);
	}

	get size(): number {
		return this.#entries.size;
	}

	#live(key: string, now: number): Entry | null {
		const entry = this.#entries.get(key);
		if (!entry) return null;
		if (now - entry.lastAt >= this.options.forgetMs) {
			this.#entries.delete(key);
			return null;
		}
		return entry;
	}

	/**
	 * Frees one place when the map is full. Map order is charge order (a charge re-inserts its key), oldest
	 * first. Forgotten keys go first, then the oldest key still within its free attempts (forgetting it gives
	 * back fewer than `free`), and only if every key is past them, the least recently charged one: pushing out
	 * a key that is being braked takes `maxEntries` keys braked as hard.
	 */
	#makeRoom(now: number): void {
		if (this.#entries.size < this.options.maxEntries) return;
		let oldestBraked: string | undefined;
		for (const [key, entry] of this.#entries) {
			if (now - entry.lastAt >= this.options.forgetMs) {
				this.#entries.delete(key);
				continue;
			}
			if (this.#entries.size < this.options.maxEntries) return;
			if (entry.count < this.options.free) {
				this.#entries.delete(key);
				return;
			}
			oldestBraked ??= key;
		}
		if (this.#entries.size >= this.options.maxEntries && oldestBraked !== undefined) {
			this.#entries.delete(oldestBraked);
		}
	}
}
