import { afterEach, describe, expect, it, vi } from 'vitest';
import { setMeta } from '$lib/client/db/meta';
import { markRejected } from '$lib/client/db/outbox';
import { openTestDb } from '$lib/client/db/testing';
import { makeVisit } from '$factories/visit';
import { recordVisit } from '$lib/client/db/visits';
import { SyncState } from './sync.svelte';

const at = (iso: string) => new Date(iso);

function stateOver(options: { persisted?: boolean | null; now?: string } = {}) {
	const db = openTestDb();
	const state = new SyncState({
		db: () => db,
		persisted: async () => options.persisted ?? true,
		now: () => at(options.now ?? '2026-03-10T12:00:00.000Z')
	});
	return { db, state };
}

describe('the sync status the crew sees', () => {
	it('counts pending records and the age of the oldest, and lists rejected ones apart', async () => {
		const { db, state } = stateOver();
		await recordVisit(db, makeVisit(), at('2026-03-10T09:00:00.000Z'));
		await recordVisit(db, makeVisit(), at('2026-03-10T11:00:00.000Z'));
		const rejectedId = 2;
		await markRejected(db, rejectedId, 'not_found');
		await state.refresh();
		expect(state.pendingCount).toBe(1);
		expect(state.rejectedCount).toBe(1);
		expect(state.oldestPendingAgeMs).toBe(3 * 60 * 60_000);
		expect(state.risks).toEqual([]);
	});

	it('warns when records wait on storage that is not persistent', async () => {
		const { db, state } = stateOver({ persisted: false });
		await state.refresh();
		expect(state.risks).toEqual([]);
		await recordVisit(db, makeVisit());
		await state.refresh();
		expect(state.risks).toEqual(['storage_not_persistent']);
	});

	it('warns when a record has waited for over 24 hours', async () => {
		const { db, state } = stateOver({ now: '2026-03-11T09:00:01.000Z' });
		await recordVisit(db, makeVisit(), at('2026-03-10T09:00:00.000Z'));
		await state.refresh();
		expect(state.risks).toEqual(['pending_over_24h']);
	});

	it('shows the last sync, its error, a clock off by more than two minutes, and a revoked device', async () => {
		const { db, state } = stateOver();
		await setMeta(db, 'sync.lastSuccessAt', '2026-03-10T10:00:00.000Z');
		await setMeta(db, 'sync.lastError', 'device_revoked');
		await setMeta(db, 'device.revoked', true);
		await setMeta(db, 'sync.clockOffsetMs', 119_000);
		await state.refresh();
		expect(state.lastSuccessAt).toEqual(at('2026-03-10T10:00:00.000Z'));
		expect(state.lastError).toBe('device_revoked');
		expect(state.revoked).toBe(true);
		expect(state.clockWarning).toBe(false);
		await setMeta(db, 'sync.clockOffsetMs', -121_000);
		await state.refresh();
		expect(state.clockWarning).toBe(true);
	});

	it('shows a sync as running while it runs, then refreshes', async () => {
		const { db, state } = stateOver();
		await recordVisit(db, makeVisit());
		const seen: boolean[] = [];
		const outcome = await state.track(async () => {
			seen.push(state.syncing);
			await db.outbox.clear();
			return { ok: true, pushed: 1, rejected: 0, pulled: 0 };
		});
		expect(outcome.ok).toBe(true);
		expect(seen).toEqual([true]);
		expect(state.syncing).toBe(false);
		expect(state.pendingCount).toBe(0);
	});
});

describe('the time since the last successful sync', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('is unknown until a sync succeeded, then grows as time passes while the screen is open', async () => {
		let now = at('2026-03-10T12:00:00.000Z');
		const db = openTestDb();
		const state = new SyncState({ db: () => db, persisted: async () => true, now: () => now });
		await state.refresh();
		expect(state.lastSuccessAgeMs).toBeNull();

		await setMeta(db, 'sync.lastSuccessAt', '2026-03-10T11:58:00.000Z');
		await state.refresh();
		expect(state.lastSuccessAgeMs).toBe(2 * 60_000);

		vi.useFakeTimers();
		const stop = state.keepTime(30_000);
		now = at('2026-03-10T12:05:00.000Z');
		vi.advanceTimersByTime(29_999);
		expect(state.lastSuccessAgeMs).toBe(2 * 60_000);
		vi.advanceTimersByTime(1);
		expect(state.lastSuccessAgeMs).toBe(7 * 60_000);

		stop();
		now = at('2026-03-10T13:00:00.000Z');
		vi.advanceTimersByTime(60_000);
		expect(state.lastSuccessAgeMs).toBe(7 * 60_000);
	});
});
