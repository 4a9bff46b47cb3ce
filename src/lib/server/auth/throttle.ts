/**
 * Sign-in brute-force brake: after 5 failed sign-ins for one email within 15 minutes, that email is refused
 * for 15 minutes, even with the right password. Kept in memory, per server process: a restart forgets it and
 * two processes would count apart (Escale runs one process; a shared store would be needed for more). The
 * map is pruned as it is used and bounded, so a flood of made-up emails cannot grow it without limit.
 */

export interface ThrottleOptions {
	maxFailures: number;
	windowMs: number;
	lockMs: number;
	/** Most emails tracked at once; the oldest entry goes first. */
	maxEntries: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
	maxFailures: 5,
	windowMs: 15 * 60 * 1000,
	lockMs: 15 * 60 * 1000,
	maxEntries: 10_000
};

interface Entry {
	failures: number[];
	lockedUntil: number;
}

export class SignInThrottle {
	#entries = new Map<string, Entry>();
	#options: ThrottleOptions;

	constructor(options: Partial<ThrottleOptions> = {}) {
		this.#options = { ...DEFAULT_THROTTLE, ...options };
	}

	/** Until when `email` is locked (ms since epoch), or null if it may try now. */
	lockedUntil(email: string, now: number): number | null {
		const entry = this.#entries.get(email);
		if (!entry) return null;
		if (entry.lockedUntil > now) return entry.lockedUntil;
		this.#prune(email, entry, now);
		return null;
	}

	/** Counts a failure; returns true if this one locked the email. */
	recordFailure(email: string, now: number): boolean {
		const entry = this.#entries.get(email) ?? { failures: [], lockedUntil: 0 };
		entry.failures = entry.failures.filter((at) => at > now - this.#options.windowMs);
		entry.failures.push(now);
		this.#entries.delete(email);
		this.#entries.set(email, entry);
		if (this.#entries.size > this.#options.maxEntries) {
			const oldest = this.#entries.keys().next().value;
			if (oldest !== undefined) this.#entries.delete(oldest);
		}
		if (entry.failures.length >= this.#options.maxFailures) {
			entry.lockedUntil = now + this.#options.lockMs;
			entry.failures = [];
			return true;
		}
		return false;
	}

	/** A successful sign-in clears the count. */
	recordSuccess(email: string): void {
		this.#entries.delete(email);
	}

	#prune(email: string, entry: Entry, now: number): void {
		entry.failures = entry.failures.filter((at) => at > now - this.#options.windowMs);
		if (entry.failures.length === 0) this.#entries.delete(email);
	}
}
