/**
 * The push in protocol 2 (ids from the batch's first, no device clock, entityId implied by the payload's
 * id) beside protocol 1, and replays answered from the device's ledger: the same answers as the first
 * push, without reading or writing a record, and a different record under a known id still held back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTestDatabase } from '$factories/store';
import { mutation, pushBody, referral, visit } from '$factories/records';
import { A, B, enrollDevice, NOW, openFixtureStore, post } from '$factories/sync';
import { toPushRequest, type Mutation } from '$lib/sync/protocol';
import type { Store } from '../store/store';
import { handlePush } from './http';

type Result = { mutationId: number; status: string; reason?: string; detail?: string };
type Answer = { protocol: number; results: Result[]; lastMutationId: number };

/** Sends a body as is; `at` is the server's clock for this request. */
function sender(store: Store, token: string) {
	return async (body: unknown, at: Date = NOW) => {
		const response = await handlePush(store, post('push', body, token), () => at);
		expect(response.status).toBe(200);
		return (await response.json()) as Answer;
	};
}

/** Mutations as the tablet's outbox holds them, numbered from `first`. */
function queued(records: { id: string }[], first: number, kind = 'visit.create'): Mutation[] {
	return records.map((record, i) => mutation(first + i, kind, record.id, record) as unknown as Mutation);
}
const v1 = (mutations: Mutation[]) => pushBody(mutations);
const v2 = (mutations: Mutation[]) => toPushRequest(mutations);
const outcomes = (answer: Answer) => answer.results.map((result) => result.reason ?? result.status);
const visits = (count: number, day: string = A.days[0]) =>
	Array.from({ length: count }, () => visit(A.bus, day));

async function setUp() {
	const store = await openFixtureStore();
	const device = await enrollDevice(store, A.bus);
	return { store, device, send: sender(store, device.token) };
}

describe('a push in protocol 2', () => {
	it('applies mutations numbered from firstMutationId and answers in protocol 2', async () => {
		const { store, send } = await setUp();
		const records = visits(3);
		const answer = await send(v2(queued(records, 1)));
		expect(answer.protocol).toBe(2);
		expect(answer.results).toEqual([
			{ mutationId: 1, status: 'applied' },
			{ mutationId: 2, status: 'applied' },
			{ mutationId: 3, status: 'applied' }
		]);
		expect(answer.lastMutationId).toBe(3);
		expect((await store.syncRecords.getVisits(records.map((r) => r.id))).size).toBe(3);
	});

	it('answers a protocol 1 push in protocol 1 on the same server', async () => {
		const { send } = await setUp();
		const answer = await send(v1(queued(visits(1), 1)));
		expect(answer.protocol).toBe(1);
		expect(outcomes(answer)).toEqual(['applied']);
	});

	it('takes the same mutation for a duplicate whichever version carried it first (a tablet updated mid-queue)', async () => {
		const { send } = await setUp();
		const first = queued(visits(2), 1);
		const second = queued(visits(2), 3);
		expect(outcomes(await send(v1(first)))).toEqual(['applied', 'applied']);
		expect(outcomes(await send(v2(second)))).toEqual(['applied', 'applied']);
		expect(outcomes(await send(v2([...first, ...second])))).toEqual(Array(4).fill('duplicate'));
		expect(outcomes(await send(v1([...first, ...second])))).toEqual(Array(4).fill('duplicate'));
	});

	it('uses the entityId it is given (a status change names its referral), and rejects only the mutation without one', async () => {
		const { store, send } = await setUp();
		const record = visit(A.bus, A.days[0]);
		const orientation = referral(A.bus, record.id);
		const change = { referralId: orientation.id, status: 'transmitted', at: '2026-03-10T09:00:00.000Z' };
		const body = v2([
			...queued([record], 1),
			...queued([orientation], 2, 'referral.create'),
			mutation(3, 'referral.status', orientation.id, change) as unknown as Mutation
		]);
		expect(body.mutations[2]).toHaveProperty('entityId', orientation.id);
		expect(outcomes(await send(body))).toEqual(['applied', 'applied', 'applied']);
		expect((await store.syncRecords.getReferral(orientation.id))?.status).toBe('transmitted');

		const noId = await send({
			protocol: 2,
			firstMutationId: 4,
			mutations: [
				{ kind: 'referral.status', schemaVersion: 1, payload: change },
				{ kind: 'visit.create', schemaVersion: 1, payload: visit(A.bus, A.days[0]) }
			]
		});
		expect(outcomes(noId)).toEqual(['entity_mismatch', 'applied']);
		expect(noId.lastMutationId).toBe(5);
	});
});

describe('a replay answered from the ledger', () => {
	for (const [version, body] of [
		['1', v1],
		['2', v2]
	] as const) {
		it(`answers a whole replayed batch as the first push did, rejections included, and writes nothing (protocol ${version})`, async () => {
			const { store, device, send } = await setUp();
			const foreign = visit(A.bus, B.days[0]);
			const batch = queued([...visits(2), foreign, ...visits(2, A.days[1])], 1);
			const first = await send(body(batch));
			expect(outcomes(first)).toEqual(['applied', 'applied', 'not_found', 'applied', 'applied']);
			const counts = await store.syncStats.countRows();
			const seen = (await store.devices.get(device.deviceId))?.lastSeenAt;

			const replay = await send(body(batch), new Date(NOW.getTime() + 30_000));
			expect(replay.results).toEqual(
				first.results.map((result) =>
					result.status === 'applied' ? { ...result, status: 'duplicate' } : result
				)
			);
			expect(replay.lastMutationId).toBe(first.lastMutationId);
			expect(await store.syncStats.countRows()).toEqual(counts);
			// Within a minute of the last write the device's "last seen" stays as it was: nothing written.
			expect((await store.devices.get(device.deviceId))?.lastSeenAt).toBe(seen);
		});
	}

	it('notes the device as seen when a replay comes a minute or more after its last write', async () => {
		const { store, device, send } = await setUp();
		const batch = queued(visits(1), 1);
		await send(v2(batch));
		const later = new Date(NOW.getTime() + 60_000);
		expect(outcomes(await send(v2(batch), later))).toEqual(['duplicate']);
		const stored = await store.devices.get(device.deviceId);
		expect(stored?.lastSeenAt).toBe(later.toISOString());
		expect(stored?.lastMutationId).toBe(1);
	});

	it('answers from the ledger without reading the records: a replay of visits since removed is still a duplicate, and nothing comes back', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'escale-ledger-'));
		try {
			const file = join(dir, 'escale.sqlite');
			const store = await openFixtureStore({ file });
			const device = await enrollDevice(store, A.bus);
			const send = sender(store, device.token);
			const batch = queued(visits(3), 1);
			await send(v2(batch));
			// Behind the store's back: the visits go, the ledger and the digests stay.
			const raw = openTestDatabase({ file });
			raw.prepare('DELETE FROM visits').run();
			raw.close();

			expect(outcomes(await send(v2(batch)))).toEqual(['duplicate', 'duplicate', 'duplicate']);
			expect((await store.syncStats.countRows()).visits).toBe(0);
			await store.close();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('answers the known ids of a batch from the ledger and applies the new ones after them', async () => {
		const { store, send } = await setUp();
		const known = queued(visits(3), 1);
		await send(v2(known));
		const fresh = queued(visits(2), 4);

		const answer = await send(v2([...known.slice(1), ...fresh]));
		expect(answer.results).toEqual([
			{ mutationId: 2, status: 'duplicate' },
			{ mutationId: 3, status: 'duplicate' },
			{ mutationId: 4, status: 'applied' },
			{ mutationId: 5, status: 'applied' }
		]);
		expect(answer.lastMutationId).toBe(5);
		expect((await store.syncStats.countRows()).visits).toBe(5);
		expect((await store.syncStats.countRows()).mutation_digests).toBe(5);
	});

	it('holds back a known id carrying another record, and everything after it, even new ids', async () => {
		const { store, send } = await setUp();
		const known = queued(visits(3), 1);
		await send(v2(known));
		const [same, , third] = known;
		const other = queued(visits(1), 2)[0];
		const fresh = queued(visits(1), 4)[0];
		if (!same || !third || !other || !fresh) throw new Error('fixture');

		for (const body of [v1, v2]) {
			const answer = await send(body([same, other, third, fresh]));
			expect(outcomes(answer)).toEqual(['duplicate', 'id_reused', 'id_reused', 'id_reused']);
			expect(answer.lastMutationId).toBe(3);
		}
		expect((await store.syncStats.countRows()).visits).toBe(3);
		expect(await store.syncRecords.getVisit(fresh.entityId)).toBeNull();
	});

	it('still refuses a batch whose first id leaves a gap after the ledger, answering nothing as known', async () => {
		const { send } = await setUp();
		await send(v2(queued(visits(1), 1)));
		const answer = await send(v2(queued(visits(2), 3)));
		expect(outcomes(answer)).toEqual(['gap', 'gap']);
		expect(answer.lastMutationId).toBe(1);
	});
});
