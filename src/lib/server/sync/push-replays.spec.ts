/**
 * Replays and reused mutation ids: an id at or below the ledger is a duplicate only when it is the same
 * mutation; another record under an old id is answered `retry` / `id_reused` and applied once renumbered.
 * And every kind is harmless when the same record comes again under another id.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTestDatabase, openTestStore } from '$factories/store';
import type { Store } from '../store/store';
import { handlePush } from './http';
import { A, enrollDevice, now, openFixtureStore, post } from '$factories/sync';
import { mutation, pushBody, referral, visit } from '$factories/records';

type Result = { mutationId: number; status: string; reason?: string };

function sender(store: Store, token: string) {
	return async (mutations: unknown[]) => {
		const response = await handlePush(store, post('push', pushBody(mutations), token), now);
		expect(response.status).toBe(200);
		return (await response.json()) as { results: Result[]; lastMutationId: number };
	};
}

const visits = (count: number) => Array.from({ length: count }, () => visit(A.bus, A.days[0]));
const numbered = (records: ReturnType<typeof visit>[], first: number) =>
	records.map((record, i) => mutation(first + i, 'visit.create', record.id, record));
const outcomes = (results: Result[]) => results.map((result) => result.reason ?? result.status);

describe('a reused mutation id', () => {
	it('is never taken for a duplicate: 25 new visits numbered 1-25 after 20 acknowledged are all stored once renumbered', async () => {
		const store = await openFixtureStore();
		const device = await enrollDevice(store, A.bus);
		const send = sender(store, device.token);
		const before = visits(20);
		expect((await send(numbered(before, 1))).lastMutationId).toBe(20);

		// The tablet was restored and counts from 1 again.
		const after = visits(25);
		const reused = await send(numbered(after, 1));
		expect(outcomes(reused.results)).toEqual(Array(25).fill('id_reused'));
		expect(reused.results.every((result) => result.status === 'retry')).toBe(true);
		expect(reused.lastMutationId).toBe(20);
		expect((await store.syncStats.countRows()).visits).toBe(20);

		const renumbered = await send(numbered(after, 21));
		expect(outcomes(renumbered.results)).toEqual(Array(25).fill('applied'));
		expect(renumbered.lastMutationId).toBe(45);
		const stored = await store.syncRecords.getVisits([...before, ...after].map((record) => record.id));
		expect(stored.size).toBe(45);
	});

	it('answers the true replays before it as before, and holds back everything after it', async () => {
		const store = await openFixtureStore();
		const device = await enrollDevice(store, A.bus);
		const send = sender(store, device.token);
		const [first, second, refused] = visits(3);
		const foreign = visit(A.bus, 'fs-101-nulle-part@2026-03-10', refused!.id);
		await send([...numbered([first!, second!], 1), mutation(3, 'visit.create', foreign.id, foreign)]);

		const [other, next] = visits(2);
		const answer = await send([
			mutation(1, 'visit.create', first!.id, first),
			mutation(3, 'visit.create', foreign.id, foreign),
			mutation(4, 'visit.create', other!.id, other)
		]);
		expect(outcomes(answer.results)).toEqual(['duplicate', 'not_found', 'applied']);

		const reusedThenNew = await send([
			mutation(2, 'visit.create', next!.id, next),
			mutation(5, 'visit.create', next!.id, next)
		]);
		expect(outcomes(reusedThenNew.results)).toEqual(['id_reused', 'id_reused']);
		expect(await store.syncRecords.getVisit(next!.id)).toBeNull();
	});

	it('is answered id_reused when it was acknowledged before digests were kept, and the same record sent again changes nothing', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'escale-replays-'));
		try {
			const file = join(dir, 'escale.sqlite');
			let store = await openFixtureStore({ file });
			const device = await enrollDevice(store, A.bus);
			const record = visit(A.bus, A.days[0]);
			await sender(store, device.token)([mutation(1, 'visit.create', record.id, record)]);
			await store.close();
			// As a database migrated from schema version 3 holds it: the ledger, no digest.
			const raw = openTestDatabase({ file });
			raw.prepare('DELETE FROM mutation_digests').run();
			raw.close();

			store = await openTestStore({ file, now: () => now().toISOString() });
			const send = sender(store, device.token);
			expect(outcomes((await send([mutation(1, 'visit.create', record.id, record)])).results)).toEqual([
				'id_reused'
			]);
			const counts = await store.syncStats.countRows();
			expect(outcomes((await send([mutation(2, 'visit.create', record.id, record)])).results)).toEqual([
				'applied'
			]);
			expect((await store.syncStats.countRows()).visits).toBe(counts.visits);
			await store.close();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('the same record under another mutation id', () => {
	it('adds no second crew report, and does not undo a later one', async () => {
		const store = await openFixtureStore();
		const device = await enrollDevice(store, A.bus);
		const send = sender(store, device.token);
		const late = {
			serviceDayId: A.days[0],
			report: 'late',
			delayMinutes: 20,
			at: '2026-03-10T08:50:00.000Z'
		};
		const held = { serviceDayId: A.days[0], report: 'held', at: '2026-03-10T09:30:00.000Z' };
		await send([
			mutation(1, 'serviceDay.report', A.days[0], late),
			mutation(2, 'serviceDay.report', A.days[0], held)
		]);
		const counts = await store.syncStats.countRows();

		// The first report again, renumbered after a restore.
		expect(outcomes((await send([mutation(3, 'serviceDay.report', A.days[0], late)])).results)).toEqual([
			'applied'
		]);
		expect((await store.syncStats.countRows()).service_day_reports).toBe(counts.service_day_reports);
		expect((await store.serviceDays.get(A.days[0]))?.status).toBe('held');
	});

	it('takes a referral status step already in its history as done, not as a move backwards', async () => {
		const store = await openFixtureStore();
		const device = await enrollDevice(store, A.bus);
		const send = sender(store, device.token);
		const record = visit(A.bus, A.days[0]);
		const orientation = referral(A.bus, record.id);
		const step = (mutationId: number, status: string, at: string) =>
			mutation(mutationId, 'referral.status', orientation.id, { referralId: orientation.id, status, at });
		await send([
			mutation(1, 'visit.create', record.id, record),
			mutation(2, 'referral.create', orientation.id, orientation),
			step(3, 'transmitted', '2026-03-10T09:00:00.000Z'),
			step(4, 'acknowledged', '2026-03-11T09:00:00.000Z')
		]);

		const again = await send([step(5, 'transmitted', '2026-03-10T09:00:00.000Z')]);
		expect(outcomes(again.results)).toEqual(['applied']);
		const stored = await store.syncRecords.getReferral(orientation.id);
		expect(stored?.referral.history.map((h) => h.status)).toEqual(['open', 'transmitted', 'acknowledged']);
		// Another transmitted step (another time) is still a move backwards.
		expect(outcomes((await send([step(6, 'transmitted', '2026-03-12T09:00:00.000Z')])).results)).toEqual([
			'status_backwards'
		]);
	});
});

describe('the same batch pushed twice at once', () => {
	// Two requests of one tablet in flight together (an answer the tablet gave up on, then its retry; or two
	// processes behind a load balancer): on PostgreSQL each runs on a connection of its own, and before the push
	// held its device, both read the same ledger and the second failed on the visits' key with a 500.
	it('is answered 200 twice, applied once and a duplicate once, and stored once', async () => {
		const store = await openFixtureStore();
		const device = await enrollDevice(store, A.bus);
		const send = sender(store, device.token);
		try {
			const batch = numbered(visits(50), 1);
			const answers = await Promise.all([send(batch), send(batch)]);
			const statuses = answers.map((answer) => [...new Set(answer.results.map((result) => result.status))]);
			expect(statuses.sort()).toEqual([['applied'], ['duplicate']]);
			expect(answers.map((answer) => answer.lastMutationId)).toEqual([50, 50]);
			expect((await store.syncStats.countRows()).visits).toBe(50);
		} finally {
			await store.close();
		}
	});
});
