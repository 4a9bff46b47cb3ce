import { describe, expect, it } from 'vitest';
import type { SyncOutcome } from './engine';
import { backoffDelayMs, SyncScheduler, type SchedulerEvents, type Timers } from './scheduler';

/** Timers the test advances by hand. */
class ManualTimers implements Timers {
	now = 0;
	#next = 1;
	pending = new Map<number, { at: number; callback: () => void }>();
	setTimeout(callback: () => void, ms: number): unknown {
		const id = this.#next++;
		this.pending.set(id, { at: this.now + ms, callback });
		return id;
	}
	clearTimeout(handle: unknown): void {
		this.pending.delete(handle as number);
	}
	/** The delays of the timers now set, from now. */
	delays(): number[] {
		return [...this.pending.values()].map((timer) => timer.at - this.now);
	}
	async advance(ms: number): Promise<void> {
		this.now += ms;
		for (const [id, timer] of [...this.pending]) {
			if (timer.at <= this.now) {
				this.pending.delete(id);
				timer.callback();
			}
		}
		await new Promise((resolve) => setTimeout(resolve, 0));
	}
}

function eventSources() {
	const listeners = { online: [] as (() => void)[], visible: [] as (() => void)[] };
	const events: SchedulerEvents = {
		onOnline: (listener) => (listeners.online.push(listener), () => listeners.online.splice(0)),
		onVisible: (listener) => (listeners.visible.push(listener), () => listeners.visible.splice(0))
	};
	return { events, fire: (name: 'online' | 'visible') => listeners[name].forEach((listener) => listener()) };
}

const success: SyncOutcome = { ok: true, pushed: 0, rejected: 0, pulled: 0 };
const offline: SyncOutcome = { ok: false, error: 'offline', final: false };
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(outcomes: SyncOutcome[]) {
	const timers = new ManualTimers();
	const { events, fire } = eventSources();
	let calls = 0;
	const scheduler = new SyncScheduler({
		sync: async () => outcomes[Math.min(calls++, outcomes.length - 1)] ?? success,
		events,
		timers,
		random: () => 0.5,
		debounceMs: 2_000,
		intervalMs: 300_000,
		baseBackoffMs: 5_000,
		maxBackoffMs: 600_000
	});
	return { scheduler, timers, fire, calls: () => calls };
}

describe('the sync scheduler', () => {
	it('syncs at start, then again after the interval', async () => {
		const { scheduler, timers, calls } = setup([success]);
		scheduler.start();
		await tick();
		expect(calls()).toBe(1);
		expect(timers.delays()).toEqual([300_000]);
		await timers.advance(300_000);
		expect(calls()).toBe(2);
		scheduler.stop();
	});

	it('syncs when the network comes back and when the app becomes visible', async () => {
		const { scheduler, fire, calls } = setup([success]);
		scheduler.start();
		await tick();
		fire('online');
		fire('visible');
		await tick();
		expect(calls()).toBe(3);
		scheduler.stop();
		fire('online');
		await tick();
		expect(calls()).toBe(3);
	});

	it('syncs once shortly after a burst of writes', async () => {
		const { scheduler, timers, calls } = setup([success]);
		scheduler.start();
		await tick();
		scheduler.notifyWrite();
		await timers.advance(1_000);
		scheduler.notifyWrite();
		await timers.advance(1_999);
		expect(calls()).toBe(1);
		await timers.advance(1);
		expect(calls()).toBe(2);
		scheduler.stop();
	});

	it('backs off after failures, and comes back to the interval after a success', async () => {
		const { scheduler, timers } = setup([offline, offline, offline, success]);
		scheduler.start();
		await tick();
		expect(timers.delays()).toEqual([3_750]);
		await timers.advance(3_750);
		expect(timers.delays()).toEqual([7_500]);
		await timers.advance(7_500);
		expect(timers.delays()).toEqual([15_000]);
		await timers.advance(15_000);
		expect(timers.delays()).toEqual([300_000]);
		scheduler.stop();
		expect(timers.delays()).toEqual([]);
	});

	it('stops retrying on a final failure, but still syncs on demand', async () => {
		const revoked: SyncOutcome = { ok: false, error: 'device_revoked', final: true };
		const { scheduler, timers, calls } = setup([revoked]);
		scheduler.start();
		await tick();
		expect(timers.delays()).toEqual([]);
		expect(await scheduler.syncNow()).toEqual(revoked);
		expect(calls()).toBe(2);
	});
});

describe('the backoff', () => {
	it('doubles per failure up to its cap, with half of it random', () => {
		expect(backoffDelayMs(1, () => 0, 1_000, 60_000)).toBe(500);
		expect(backoffDelayMs(1, () => 1, 1_000, 60_000)).toBe(1_000);
		expect(backoffDelayMs(4, () => 1, 1_000, 60_000)).toBe(8_000);
		expect(backoffDelayMs(30, () => 1, 1_000, 60_000)).toBe(60_000);
	});
});
