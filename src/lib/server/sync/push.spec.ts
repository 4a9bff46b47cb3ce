import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { revokeDevice } from './codes';
import { handlePush } from './http';
import { A, B, enrollDevice, now, openFixtureStore, post } from '$factories/sync';
import { mutation, pushBody, referral, visit } from '$factories/records';

async function setUp() {
	const store = await openFixtureStore();
	const device = await enrollDevice(store, A.bus);
	const send = async (mutations: unknown[], token = device.token) => {
		const response = await handlePush(store, post('push', pushBody(mutations), token), now);
		return { status: response.status, body: await response.json() };
	};
	return { store, device, send };
}

describe('push', () => {
	it('applies a batch, then answers a replay of it the same way and changes nothing', async () => {
		const { store, send } = await setUp();
		const v1 = visit(A.bus, A.days[0]);
		const r1 = referral(A.bus, v1.id);
		const batch = [
			mutation(1, 'visit.create', v1.id, v1),
			mutation(2, 'referral.create', r1.id, r1),
			mutation(3, 'referral.status', r1.id, {
				referralId: r1.id,
				status: 'transmitted',
				at: '2026-03-10T09:00:00.000Z'
			}),
			mutation(4, 'serviceDay.report', A.days[0], {
				serviceDayId: A.days[0],
				report: 'held',
				at: '2026-03-10T09:00:00.000Z'
			})
		];

		const first = await send(batch);
		expect(first.status).toBe(200);
		expect(first.body.results.map((r: { status: string }) => r.status)).toEqual([
			'applied',
			'applied',
			'applied',
			'applied'
		]);
		expect(first.body.lastMutationId).toBe(4);
		expect((await store.syncRecords.getReferral(r1.id))?.status).toBe('transmitted');
		expect((await store.serviceDays.get(A.days[0]))?.status).toBe('held');
		const counts = await store.syncStats.countRows();

		const replay = await send(batch);
		expect(replay.status).toBe(200);
		expect(replay.body.results.map((r: { status: string }) => r.status)).toEqual([
			'duplicate',
			'duplicate',
			'duplicate',
			'duplicate'
		]);
		expect(replay.body.lastMutationId).toBe(4);
		expect(await store.syncStats.countRows()).toEqual(counts);
	});

	it('answers retry from a gap on, applies nothing past it and acknowledges only what came before', async () => {
		const { store, send } = await setUp();
		const [v1, v3, v4] = [visit(A.bus, A.days[0]), visit(A.bus, A.days[0]), visit(A.bus, A.days[1])];
		const answer = await send([
			mutation(1, 'visit.create', v1.id, v1),
			mutation(3, 'visit.create', v3.id, v3),
			mutation(4, 'visit.create', v4.id, v4)
		]);
		expect(answer.body.results).toEqual([
			{ mutationId: 1, status: 'applied' },
			{ mutationId: 3, status: 'retry', reason: 'gap' },
			{ mutationId: 4, status: 'retry', reason: 'gap' }
		]);
		expect(answer.body.lastMutationId).toBe(1);
		expect((await store.syncStats.countRows()).visits).toBe(1);
	});

	it('checks the service day of every visit in a batch, looked up once per day', async () => {
		const { store, send } = await setUp();
		const first = visit(A.bus, A.days[0]);
		const second = visit(A.bus, A.days[0]);
		const onForeignDay = visit(A.bus, B.days[0]);
		const onUnknownDay = visit(A.bus, 'fs-101-nulle-part@2026-03-10');
		const third = visit(A.bus, A.days[0]);

		const answer = await send([
			mutation(1, 'visit.create', first.id, first),
			mutation(2, 'visit.create', second.id, second),
			mutation(3, 'visit.create', onForeignDay.id, onForeignDay),
			mutation(4, 'visit.create', onUnknownDay.id, onUnknownDay),
			mutation(5, 'visit.create', third.id, third)
		]);

		expect(
			answer.body.results.map((result: { status: string; reason?: string }) => result.reason ?? result.status)
		).toEqual(['applied', 'applied', 'not_found', 'not_found', 'applied']);
		expect((await store.syncStats.countRows()).visits).toBe(3);
	});

	it('rejects and records a visit of another bus as unknown, acknowledges it, and says so again on replay', async () => {
		const { store, send } = await setUp();
		const foreign = visit(B.bus, B.days[0]);
		const own = visit(A.bus, A.days[0]);
		const batch = [
			mutation(1, 'visit.create', foreign.id, foreign),
			mutation(2, 'visit.create', own.id, own)
		];

		const answer = await send(batch);
		expect(answer.body.results[0]).toMatchObject({
			mutationId: 1,
			status: 'rejected',
			reason: 'not_found'
		});
		expect(answer.body.results[1]).toEqual({ mutationId: 2, status: 'applied' });
		expect(answer.body.lastMutationId).toBe(2);
		expect(await store.syncRecords.getVisit(foreign.id)).toBeNull();
		const recorded = await store.syncRecords.listRejections(A.bus, 10);
		expect(recorded).toMatchObject([{ mutationId: 1, kind: 'visit.create', reason: 'not_found' }]);

		const replay = await send(batch);
		expect(replay.body.results[0]).toMatchObject({ status: 'rejected', reason: 'not_found' });
		expect(replay.body.results[1]).toEqual({ mutationId: 2, status: 'duplicate' });
		expect((await store.syncStats.countRows()).rejected_mutations).toBe(1);
	});

	it('keeps a visit sent twice under two mutation ids once, and rejects a different visit with its id', async () => {
		const { store, send } = await setUp();
		const v1 = visit(A.bus, A.days[0]);
		const changed = { ...v1, channel: 'phone' };
		const answer = await send([
			mutation(1, 'visit.create', v1.id, v1),
			mutation(2, 'visit.create', v1.id, v1),
			mutation(3, 'visit.create', v1.id, changed)
		]);
		expect(answer.body.results.map((r: { status: string; reason?: string }) => r.reason ?? r.status)).toEqual(
			['applied', 'applied', 'conflict']
		);
		expect((await store.syncStats.countRows()).visits).toBe(1);
	});

	it('keeps a referral sent twice in a batch once, rejects another under its id, and needs its visit first', async () => {
		const { store, send } = await setUp();
		const [v1, v2, later] = [visit(A.bus, A.days[0]), visit(A.bus, A.days[0]), visit(A.bus, A.days[1])];
		const r1 = referral(A.bus, v1.id);
		// Closed on the tablet before its first push: stored without its contact, and the same again is no conflict.
		const closedAtOnce = {
			...referral(A.bus, v2.id),
			consent: { given: true, recordedAt: '2026-03-10T08:41:00.000Z' },
			contact: { phone: '0612345678' },
			status: 'closed',
			history: [
				{ status: 'open', at: '2026-03-10T08:41:00.000Z' },
				{ status: 'closed', at: '2026-03-10T08:50:00.000Z' }
			]
		};
		const beforeItsVisit = referral(A.bus, later.id);
		const answer = await send([
			mutation(1, 'visit.create', v1.id, v1),
			mutation(2, 'referral.create', r1.id, r1),
			mutation(3, 'visit.create', v2.id, v2),
			mutation(4, 'referral.create', closedAtOnce.id, closedAtOnce),
			mutation(5, 'referral.create', r1.id, r1),
			mutation(6, 'referral.create', r1.id, { ...r1, reason: 'complexSituation' }),
			mutation(7, 'referral.create', closedAtOnce.id, closedAtOnce),
			mutation(8, 'referral.create', beforeItsVisit.id, beforeItsVisit),
			mutation(9, 'visit.create', later.id, later)
		]);
		expect(answer.body.results.map((r: { status: string; reason?: string }) => r.reason ?? r.status)).toEqual(
			['applied', 'applied', 'applied', 'applied', 'applied', 'conflict', 'applied', 'not_found', 'applied']
		);
		expect((await store.syncStats.countRows()).referrals).toBe(2);
		expect((await store.syncRecords.getReferral(r1.id))?.referral).toEqual(r1);
		expect((await store.syncRecords.getReferral(closedAtOnce.id))?.referral.contact).toBeNull();
		expect(await store.syncRecords.getReferral(beforeItsVisit.id)).toBeNull();
	});

	it('never moves a referral status backwards, whatever order the writes arrive in', async () => {
		const { store, send } = await setUp();
		const v1 = visit(A.bus, A.days[0]);
		const r1 = referral(A.bus, v1.id);
		const status = (id: number, s: string) =>
			mutation(id, 'referral.status', r1.id, {
				referralId: r1.id,
				status: s,
				at: '2026-03-10T09:00:00.000Z'
			});
		const answer = await send([
			mutation(1, 'visit.create', v1.id, v1),
			mutation(2, 'referral.create', r1.id, r1),
			status(3, 'acknowledged'),
			status(4, 'transmitted')
		]);
		expect(answer.body.results[3]).toMatchObject({ status: 'rejected', reason: 'status_backwards' });
		const stored = await store.syncRecords.getReferral(r1.id);
		expect(stored?.status).toBe('acknowledged');
		expect(stored?.referral.history.map((h) => h.status)).toEqual(['open', 'acknowledged']);
	});

	it('keeps no contact from a refused referral, and takes a replay of a closed one as a duplicate', async () => {
		const { store, send } = await setUp();
		const withContact = (visitId: string) => ({
			...referral(A.bus, visitId),
			consent: { given: true, recordedAt: '2026-03-10T08:41:00.000Z' },
			contact: { phone: '0612345678' }
		});
		const orphan = withContact('5b0f2c1e-8a4d-4e6b-9c3a-1f2e3d4c5b6a');
		const v1 = visit(A.bus, A.days[0]);
		const r1 = withContact(v1.id);
		const closing = { referralId: r1.id, status: 'closed', at: '2026-03-11T09:00:00.000Z' };
		const answer = await send([
			mutation(1, 'referral.create', orphan.id, orphan),
			mutation(2, 'visit.create', v1.id, v1),
			mutation(3, 'referral.create', r1.id, r1),
			mutation(4, 'referral.status', r1.id, closing)
		]);
		expect(answer.body.results.map((r: { status: string }) => r.status)).toEqual([
			'rejected',
			'applied',
			'applied',
			'applied'
		]);
		const [rejection] = await store.syncRecords.listRejections(A.bus, 10);
		expect(rejection?.payload).not.toContain('0612345678');
		expect(JSON.parse(rejection?.payload ?? 'null')).toMatchObject({ id: orphan.id, contact: null });

		// Another queue replays the creation as it was before the close: same record, not a conflict.
		const again = await send([mutation(5, 'referral.create', r1.id, r1)]);
		expect(again.body.results.map((r: { status: string }) => r.status)).toEqual(['applied']);
		expect((await store.syncRecords.getReferral(r1.id))?.status).toBe('closed');
		expect(await store.syncRecords.listRejections(A.bus, 10)).toHaveLength(1);
	});

	it('checks new visits against those stored by earlier pushes and earlier in the batch, in batch order', async () => {
		const { store, send } = await setUp();
		const [v1, v2, v3] = [visit(A.bus, A.days[0]), visit(A.bus, A.days[0]), visit(A.bus, A.days[1])];
		const [early, late] = [referral(A.bus, v3.id), referral(A.bus, v2.id)];
		expect((await send([mutation(1, 'visit.create', v1.id, v1)])).body.results).toEqual([
			{ mutationId: 1, status: 'applied' }
		]);

		const answer = await send([
			mutation(2, 'visit.create', v1.id, v1),
			mutation(3, 'visit.create', v1.id, { ...v1, channel: 'phone' }),
			mutation(4, 'visit.create', v2.id, v2),
			// Its visit comes later in the batch: not there yet when the referral is applied.
			mutation(5, 'referral.create', early.id, early),
			mutation(6, 'referral.create', late.id, late),
			mutation(7, 'visit.create', v3.id, v3),
			mutation(8, 'visit.create', v2.id, { ...v2, channel: 'appointment' })
		]);
		expect(answer.body.results.map((r: { status: string; reason?: string }) => r.reason ?? r.status)).toEqual(
			['applied', 'conflict', 'applied', 'not_found', 'applied', 'applied', 'conflict']
		);
		expect(answer.body.lastMutationId).toBe(8);
		const found = await store.syncRecords.getVisits([v1.id, v2.id, v3.id]);
		expect(found.get(v2.id)?.json).toBe(JSON.stringify(v2));
		expect(found.size).toBe(3);
		const counts = await store.syncStats.countRows();
		expect(counts).toMatchObject({ visits: 3, referrals: 1, rejected_mutations: 3 });

		const replay = await send([
			mutation(7, 'visit.create', v3.id, v3),
			mutation(8, 'visit.create', v2.id, { ...v2, channel: 'appointment' })
		]);
		expect(replay.body.results.map((r: { status: string; reason?: string }) => r.reason ?? r.status)).toEqual(
			['duplicate', 'conflict']
		);
		expect(await store.syncStats.countRows()).toEqual(counts);
	});

	it('rejects an invalid payload, an unknown kind and an unknown schema version without blocking the rest', async () => {
		const { store, send } = await setUp();
		const good = visit(A.bus, A.days[0]);
		const answer = await send([
			mutation(1, 'visit.create', good.id, { ...good, name: 'Jeanne Dupont' }),
			mutation(2, 'visit.delete', good.id, {}),
			{ ...mutation(3, 'visit.create', good.id, good), schemaVersion: 99 },
			mutation(4, 'visit.create', good.id, good)
		]);
		expect(answer.body.results.map((r: { status: string; reason?: string }) => r.reason ?? r.status)).toEqual(
			['invalid_payload', 'unknown_kind', 'unsupported_schema_version', 'applied']
		);
		expect(JSON.stringify(answer.body)).not.toContain('Jeanne');
		const kept = await store.syncRecords.listRejections(A.bus, 10);
		expect(kept).toHaveLength(3);
		expect(JSON.stringify(kept)).not.toContain('Jeanne');
	});

	it('refuses a revoked device with 403 and a bad token with 401, storing nothing', async () => {
		const { store, device, send } = await setUp();
		const v1 = visit(A.bus, A.days[0]);
		const bad = await send([mutation(1, 'visit.create', v1.id, v1)], `${device.deviceId}.${'x'.repeat(43)}`);
		expect(bad.status).toBe(401);
		expect(bad.body.error.code).toBe('unauthenticated');

		expect(await revokeDevice(store, device.deviceId, now)).toBe(true);
		const revoked = await send([mutation(1, 'visit.create', v1.id, v1)]);
		expect(revoked.status).toBe(403);
		expect(revoked.body.error.code).toBe('device_revoked');
		expect((await store.syncStats.countRows()).visits).toBe(0);
	});

	it('reads a gzip-compressed body as the tablet sends it', async () => {
		const { store, device } = await setUp();
		const v1 = visit(A.bus, A.days[0]);
		const request = new Request('http://escale.test/api/sync/push', {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				'Content-Encoding': 'gzip',
				Authorization: `Bearer ${device.token}`
			},
			body: new Uint8Array(gzipSync(JSON.stringify(pushBody([mutation(1, 'visit.create', v1.id, v1)]))))
		});
		const response = await handlePush(store, request, now);
		expect(response.status).toBe(200);
		expect((await response.json()).results).toEqual([{ mutationId: 1, status: 'applied' }]);
		expect(await store.syncRecords.getVisit(v1.id)).not.toBeNull();
	});
});
