/**
 * When sync runs: at start, when the network comes back (`online`), when the app becomes visible, shortly
 * after each write (debounced), on a timer while the app is open (backing off with jitter after failures),
 * and on demand ("Synchroniser maintenant"). Background Sync is never relied on: Firefox and Safari lack it,
 * and the timer plus these events cover an open app. The event sources and timers are injected for tests.
 */
import type { SyncOutcome } from './engine';

export interface SchedulerEvents {
	/** Subscribes; returns the unsubscribe function. */
	onOnline(listener: () => void): () => void;
	onVisible(listener: () => void): () => void;
}

export interface Timers {
	setTimeout(callback: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

export interface SchedulerOptions {
	sync: () => Promise<SyncOutcome>;
	events: SchedulerEvents;
	timers?: Timers;
	random?: () => number;
	/** Wait after a write, so a burst of writes makes one sync. */
	debounceMs?: number;
	/** Between two syncs while all is well. */
	intervalMs?: number;
	/** First wait after a failure; doubles per failure up to `maxBackoffMs`. */
	baseBackoffMs?: number;
	maxBackoffMs?: number;
	/** Told every outcome (the status panel refreshes on it). */
	onOutcome?: (outcome: SyncOutcome) => void;
}

/**
 * The wait after `failures` consecutive failures: exponential, capped, with "equal jitter" (half fixed, half
 * random) so tablets that lost the network together do not all come back at the same second.
 */
export function backoffDelayMs(
	failures: number,
	random: () => number,
	baseMs: number,
	maxMs: number
): number {
	const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
	return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The browser's event sources: `online` on window, `visibilitychange` to visible on document. */
export function browserEvents(win: Window = window): SchedulerEvents {
	return {
		onOnline(listener) {
			win.addEventListener('online', listener);
			return () => win.removeEventListener('online', listener);
		},
		onVisible(listener) {
			const onChange = () => {
				if (win.document.visibilityState === 'visible') listener();
			};
			win.document.addEventListener('visibilitychange', onChange);
			return () => win.document.removeEventListener('visibilitychange', onChange);
		}
	};
}

const realTimers: Timers = {
	setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
	clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>)
};

export class SyncScheduler {
	readonly #options: Required<Omit<SchedulerOptions, 'onOutcome'>> & Pick<SchedulerOptions, 'onOutcome'>;
	#failures = 0;
	#timer: unknown = null;
	#debounce: unknown = null;
	#unsubscribe: (() => void)[] = [];
	#running = false;

	constructor(options: SchedulerOptions) {
		this.#options = {
			timers: realTimers,
			random: Math.random,
			debounceMs: 2_000,
			intervalMs: 5 * 60_000,
			baseBackoffMs: 5_000,
			maxBackoffMs: 10 * 60_000,
			...options
		};
	}

	/** Syncs now and keeps syncing on the events and the timer until `stop()`. */
	start(): void {
		if (this.#running) return;
		this.#running = true;
		const { events } = this.#options;
		this.#unsubscribe = [events.onOnline(() => void this.#run()), events.onVisible(() => void this.#run())];
		void this.#run();
	}

	stop(): void {
		this.#running = false;
		for (const unsubscribe of this.#unsubscribe) unsubscribe();
		this.#unsubscribe = [];
		this.#clear();
	}

	/** A record was just written: sync shortly, once for a burst of writes. */
	notifyWrite(): void {
		if (!this.#running) return;
		const { timers, debounceMs } = this.#options;
		if (this.#debounce !== null) timers.clearTimeout(this.#debounce);
		this.#debounce = timers.setTimeout(() => {
			this.#debounce = null;
			void this.#run();
		}, debounceMs);
	}

	/** "Synchroniser maintenant": runs at once, whatever the backoff says. */
	syncNow(): Promise<SyncOutcome> {
		return this.#run();
	}

	#clear(): void {
		const { timers } = this.#options;
		if (this.#timer !== null) timers.clearTimeout(this.#timer);
		if (this.#debounce !== null) timers.clearTimeout(this.#debounce);
		this.#timer = this.#debounce = null;
	}

	async #run(): Promise<SyncOutcome> {
		const { sync, timers, random, intervalMs, baseBackoffMs, maxBackoffMs, onOutcome } = this.#options;
		const outcome = await sync();
		onOutcome?.(outcome);
		if (outcome.ok) this.#failures = 0;
		else this.#failures++;
		if (this.#timer !== null) timers.clearTimeout(this.#timer);
		this.#timer = null;
		// A final failure (revoked, not enrolled) waits for someone to act; the button still works.
		if (!this.#running || (!outcome.ok && outcome.final)) return outcome;
		const wait = outcome.ok
			? intervalMs
			: backoffDelayMs(this.#failures, random, baseBackoffMs, maxBackoffMs);
		this.#timer = timers.setTimeout(() => void this.#run(), wait);
		return outcome;
	}
}
