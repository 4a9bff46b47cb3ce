import { describe, expect, it } from 'vitest';
import type { Change } from '$lib/sync/protocol';
import { handlePull, handlePush } from './http';
import { A, B, enrollDevice, now, openFixtureStore, post } from '$factories/sync';
import { mutation, pushBody, referral, visit } from '$factories/records';

async function pullAll(store: Awaited<ReturnType<typeof openFixtureStore>>, token: string, limit: number) {
	const changes: Change[] = [];
	const cursors: string[] = [];
	let cursor: string | null = null;
	for (let pages = 0; pages < 100; pages++) {
		const response = await handlePull(store, post('pull', { protocol: 1, cursor, limit }, token), now);
		expect(response.status).toBe(200);
		const body = await response.json();
		changes.push(...body.changes);
		cursors.push(body.cursor);
		cursor = body.cursor;
		if (!body.hasMore) return { changes, cursors, last: body };
	}
	throw new Error('pull never ended');
}

describe('pull', () => {
	it('answers each request in its own protocol version, 1 (an older app) or 2', async () => {
		const store = await openFixtureStore();
		const device = await enrollDevice(store, A.bus);
		for (const protocol of [1, 2]) {
			const response = await handlePull(store, post('pull', { protocol, cursor: null }, device.token), now);
			expect(response.status).toBe(200);
			expect((await response.json()).protocol).toBe(protocol);
		}
	});

	it('pages through the bus changes in order with a cursor that never goes back', async () => {
		const store = await openFixtureStore();
		const device = await enrollDevice(store, A.bus);
		const { changes, cursors } = await pullAll(store, device.token, 2);

		const seqs = changes.map((change) => change.seq);
		expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
		expect(new Set(cursors).size).toBe(cursors.length);
		expect(changes.map((c) => `${c.entity}:${c.id}`)).toEqual([
			`bus:${A.bus}`,
			`stop:${A.stop}`,
			`serviceDay:${A.days[0]}`,
			`serviceDay:${A.days[1]}`
		]);
		expect(changes[2]?.data).toMatchObject({
			id: A.days[0],
			busId: A.bus,
			start: '09:00',
			status: 'planned'
		});
	});

	it('shows a device only its own bus: never the other bus, its days or its referrals', async () => {
		const store = await openFixtureStore();
		const a = await enrollDevice(store, A.bus);
		const b = await enrollDevice(store, B.bus);
		const vB = visit(B.bus, B.days[0]);
		const rB = referral(B.bus, vB.id);
		await handlePush(
			store,
			post(
				'push',
				pushBody([mutation(1, 'visit.create', vB.id, vB), mutation(2, 'referral.create', rB.id, rB)]),
				b.token
			),
			now
		);

		const seenByA = await pullAll(store, a.token, 1000);
		expect(JSON.stringify(seenByA.changes)).not.toContain(B.bus);
		const seenByB = await pullAll(store, b.token, 1000);
		expect(seenByB.changes.filter((c) => c.entity === 'referral').map((c) => c.id)).toEqual([rB.id]);
		expect(seenByB.last.lastMutationId).toBe(2);
	});

	it('brings a crew report and a coordinator edit after the cursor the device already has', async () => {
		const store = await openFixtureStore();
		const device = await enrollDevice(store, A.bus);
		const { last } = await pullAll(store, device.token, 500);
		const day = await store.serviceDays.get(A.days[1]);
		if (!day) throw new Error('fixture day missing');
		await store.serviceDays.edit(
			{ ...day, status: 'cancelled', reason: 'Travaux' },
			'2026-03-10T09:00:00.000Z'
		);

		const response = await handlePull(
			store,
			post('pull', { protocol: 1, cursor: last.cursor }, device.token),
			now
		);
		const body = await response.json();
		expect(body.changes).toMatchObject([
			{ entity: 'serviceDay', id: A.days[1], data: { status: 'cancelled' } }
		]);
		expect(body.hasMore).toBe(false);
	});

	it('refuses a cursor it did not make, and one ahead of its log', async () => {
		const store = await openFixtureStore();
		const device = await enrollDevice(store, A.bus);
		for (const cursor of ['nonsense', 'c1.zzzzzz']) {
			const response = await handlePull(store, post('pull', { protocol: 1, cursor }, device.token), now);
			expect(response.status).toBe(400);
			expect((await response.json()).error).toMatchObject({ code: 'invalid_body', path: 'cursor' });
		}
	});
});
