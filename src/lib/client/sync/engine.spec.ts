import { describe, expect, it } from 'vitest';
import {
	numberedMutations,
	type Change,
	type NumberedMutation,
	type PushCheck,
	type PushRangeCheck,
	type PushRequest,
	toPushRequest,
	type Mutation
} from '$lib/sync';
import { getMeta } from '$lib/client/db/meta';
import {
	countPending,
	enqueue,
	listPending,
	listRejected,
	markSent,
	outboxTables,
	type OutboxEntry
} from '$lib/client/db/outbox';
import { getReferral } from '$lib/client/db/referrals';
import { openTestDb } from '$lib/client/db/testing';
import { makeReferral } from '$factories/referral';
import { makeVisit } from '$factories/visit';
import { recordVisit } from '$lib/client/db/visits';
import { memoryCredentialStore } from './credentials';
import { adoptQueue } from './apply';
import { SyncEngine, type LockManagerLike } from './engine';
import { captivePortalPage, errorResponse, jsonResponse, recordingFetch, type SentRequest } from './testing';
import { createTransport } from './transport';

const serverTime = '2026-03-10T10:00:00.000Z';
const device = { deviceId: 'device-1', token: 'device-1.secret', busId: 'fs-1', enrolledAt: serverTime };

/** A stand-in server that follows the protocol's acknowledgement rules (the real one: tests/sync). */
class StandInServer {
	lastMutationId = 0;
	received: NumberedMutation[] = [];
	rejectIds = new Set<string>();
	/** Answer an id at or below the ledger as reused (another record under an old id), not as a duplicate. */
	reusedAtOrBelow = 0;
	changes: Change[] = [];
	pageSize = 2;

	/** Answer range checks with no verdict (the real server does when only part of a range is known). */
	rangeUndecided = false;

	answer({ path, body }: SentRequest): Response {
		if (path === '/api/sync/push' && 'rangeDigest' in (body as object))
			return jsonResponse(this.rangeCheck(body as PushRangeCheck));
		if (path === '/api/sync/push' && 'digests' in (body as object))
			return jsonResponse(this.check(body as PushCheck));
		if (path === '/api/sync/push') return jsonResponse(this.push(numberedMutations(body as PushRequest)));
		const cursor = (body as { cursor: string | null }).cursor;
		const from = cursor === null ? 0 : Number(cursor);
		const page = this.changes.slice(from, from + this.pageSize);
		const next = from + page.length;
		return jsonResponse({
			protocol: 2,
			changes: page,
			cursor: String(next),
			hasMore: next < this.changes.length,
			lastMutationId: this.lastMutationId,
			serverTime
		});
	}

	/** A check: every id at or below the ledger is taken for the same mutation (the real server compares digests). */
	check({ firstMutationId, digests }: PushCheck) {
		const results = digests.map((_, index) => {
			const mutationId = firstMutationId + index;
			return { mutationId, status: mutationId <= this.lastMutationId ? 'duplicate' : 'unknown' };
		});
		return { protocol: 2, results, lastMutationId: this.lastMutationId, serverTime };
	}

	/** A range check: settled in one run when wholly above or wholly at or below the ledger, else no verdict. */
	rangeCheck({ firstMutationId, lastMutationId }: PushRangeCheck) {
		const settled =
			!this.rangeUndecided &&
			(lastMutationId <= this.lastMutationId || firstMutationId > this.lastMutationId);
		const status = lastMutationId <= this.lastMutationId ? 'duplicate' : 'unknown';
		const results = settled ? [{ mutationId: firstMutationId, status, through: lastMutationId }] : [];
		return { protocol: 2, results, lastMutationId: this.lastMutationId, serverTime };
	}

	push(mutations: NumberedMutation[]) {
		let reused = false;
		const results = mutations.map((mutation) => {
			if (reused || mutation.mutationId <= this.reusedAtOrBelow) {
				reused = true;
				return { mutationId: mutation.mutationId, status: 'retry', reason: 'id_reused' };
			}
			if (mutation.mutationId <= this.lastMutationId)
				return { mutationId: mutation.mutationId, status: 'duplicate' };
			if (mutation.mutationId > this.lastMutationId + 1)
				return { mutationId: mutation.mutationId, status: 'retry' };
			this.lastMutationId = mutation.mutationId;
			if (this.rejectIds.has(mutation.entityId)) {
				return { mutationId: mutation.mutationId, status: 'rejected', reason: 'not_found' };
			}
			this.received.push(mutation);
			return { mutationId: mutation.mutationId, status: 'applied' };
		});
		return { protocol: 2, results, lastMutationId: this.lastMutationId, serverTime };
	}
}

function setup(options: { answer?: (request: SentRequest, server: StandInServer) => Response } = {}) {
	const db = openTestDb();
	const server = new StandInServer();
	const { fetch, sent } = recordingFetch((request) =>
		options.answer ? options.answer(request, server) : server.answer(request)
	);
	const credentials = memoryCredentialStore(device);
	const engine = new SyncEngine({
		db,
		transport: createTransport({ fetch }),
		credentials,
		maxBatchCount: 3
	});
	return { db, server, sent, engine, credentials };
}

const toWire = ({ mutationId, kind, entityId, schemaVersion, createdAt, payload }: OutboxEntry): Mutation =>
	({ mutationId, kind, entityId, schemaVersion, createdAt, payload }) as Mutation;

/**
 * Answers as the stand-in server (or as `answerFirst` says, where it answers), except that the first push's
 * answer is lost on the way back: the server applied it, the tablet never heard.
 */
function losingFirstPushAnswer(answerFirst?: (request: SentRequest) => Response | undefined) {
	let lost = false;
	return (request: SentRequest, stand: StandInServer): Response => {
		const answered = answerFirst?.(request);
		if (answered) return answered;
		const response = stand.answer(request);
		if (request.path === '/api/sync/push' && !lost) {
			lost = true;
			throw new TypeError('connection reset');
		}
		return response;
	};
}

/** What a push request was: mutations in full, a check of each prefix, or a range check. */
const shapeOf = (body: unknown) =>
	'rangeDigest' in (body as object) ? 'range' : 'digests' in (body as object) ? 'check' : 'full';

const pushes = (sent: SentRequest[]) =>
	sent
		.filter((request) => request.path === '/api/sync/push')
		.map((r) => numberedMutations(r.body as PushRequest));

describe('one sync', () => {
	it('pushes the outbox in mutation id order, in batches bounded by count, and drains it', async () => {
		const { db, server, sent, engine } = setup();
		const visits = [];
		for (let i = 0; i < 7; i++) visits.push(await recordVisit(db, makeVisit()));
		expect(await engine.syncOnce()).toEqual({ ok: true, pushed: 7, rejected: 0, pulled: 0 });
		expect(pushes(sent).map((batch) => batch.map((m) => m.mutationId))).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
		expect(server.received.map((m) => m.entityId)).toEqual(visits.map((visit) => visit.id));
		expect(await countPending(db)).toBe(0);
		expect(await getMeta(db, 'sync.lastSentAt')).toBeDefined();
	});

	it('bounds a batch by bytes as well as by count', async () => {
		const { db, sent, server } = setup();
		const engine = new SyncEngine({
			db,
			transport: createTransport({ fetch: recordingFetch((r) => (sent.push(r), server.answer(r))).fetch }),
			credentials: memoryCredentialStore(device),
			maxBatchBytes: 600
		});
		for (let i = 0; i < 4; i++) await recordVisit(db, makeVisit());
		await engine.syncOnce();
		expect(pushes(sent).every((batch) => batch.length <= 2)).toBe(true);
		expect(server.received).toHaveLength(4);
	});

	it('sends protocol 2: ids counted from the first, no device clock, entityId only when it is not the payload id', async () => {
		const { db, sent, engine } = setup();
		const visit = await recordVisit(db, makeVisit());
		const referralId = crypto.randomUUID();
		const change = { referralId, status: 'transmitted', at: '2026-03-10T08:15:00.000Z' } as const;
		await db.transaction('rw', outboxTables(db), (tx) =>
			enqueue(tx, { kind: 'referral.status', entityId: referralId, payload: change, createdAt: change.at })
		);
		expect(await engine.syncOnce()).toMatchObject({ ok: true, pushed: 2 });
		expect(sent.find((request) => request.path === '/api/sync/push')?.body).toEqual({
			protocol: 2,
			firstMutationId: 1,
			mutations: [
				{ kind: 'visit.create', schemaVersion: 1, payload: visit },
				{ kind: 'referral.status', entityId: referralId, schemaVersion: 1, payload: change }
			]
		});
	});

	it('ends a batch at a hole in the queue, since a push numbers its mutations from the first', async () => {
		const { db, sent, engine } = setup();
		await adoptQueue(db, device.deviceId);
		for (let i = 0; i < 3; i++) await recordVisit(db, makeVisit());
		await db.outbox.where('mutationId').equals(2).delete();
		// The server answers the lone 3 with a gap: the sync stops there, the queue kept.
		expect(await engine.syncOnce()).toMatchObject({ ok: false, error: 'queue_gap' });
		expect(pushes(sent).map((batch) => batch.map((m) => m.mutationId))).toEqual([[1], [3]]);
	});

	it('keeps a rejected mutation visible with its reason and lets the rest of the queue through', async () => {
		const { db, server, engine } = setup();
		const refused = makeVisit();
		server.rejectIds.add(refused.id);
		await recordVisit(db, makeVisit());
		await recordVisit(db, refused);
		await recordVisit(db, makeVisit());
		expect(await engine.syncOnce()).toMatchObject({ ok: true, pushed: 2, rejected: 1 });
		expect(await countPending(db)).toBe(0);
		expect(await listRejected(db)).toMatchObject([{ entityId: refused.id, rejectedReason: 'not_found' }]);
	});

	it('keeps mutations answered "retry" pending, and reports a queue the server cannot take', async () => {
		const { db, server, engine } = setup();
		server.lastMutationId = -5; // the server misses earlier ids: everything is a gap
		await recordVisit(db, makeVisit());
		expect(await engine.syncOnce()).toEqual({ ok: false, error: 'queue_gap', final: false });
		expect(await countPending(db)).toBe(1);
	});

	it("acknowledges nothing on a captive portal's 200 page, and says why", async () => {
		const { db, engine } = setup({ answer: () => captivePortalPage() });
		await recordVisit(db, makeVisit());
		expect(await engine.syncOnce()).toEqual({ ok: false, error: 'invalid_response', final: false });
		expect(await countPending(db)).toBe(1);
		expect(await getMeta(db, 'sync.lastError')).toBe('invalid_response');
	});

	it('replays harmlessly when the answer to a committed push was lost', async () => {
		const { db, server, engine, sent } = setup({ answer: losingFirstPushAnswer() });
		await recordVisit(db, makeVisit());
		expect(await engine.syncOnce()).toMatchObject({ ok: false, error: 'offline' });
		expect(await engine.syncOnce()).toMatchObject({ ok: true, pushed: 1 });
		expect(server.received).toHaveLength(1);
		expect(await countPending(db)).toBe(0);
		// The retry asked with the mutation's digest prefix instead of sending it again.
		const pushes = sent.filter((request) => request.path === '/api/sync/push').map((r) => r.body);
		expect(pushes).toHaveLength(2);
		expect(pushes[1]).toEqual({
			protocol: 2,
			firstMutationId: 1,
			digests: [expect.stringMatching(/^[0-9a-f]{16}$/)]
		});
	});

	it('sends in full, after a check, the entries the server answers unknown (the request was lost, not the answer)', async () => {
		let dropNext = true;
		const { db, server, engine, sent } = setup({
			answer: (request, stand) => {
				if (request.path === '/api/sync/push' && dropNext) {
					dropNext = false;
					throw new TypeError('Failed to fetch');
				}
				return stand.answer(request);
			}
		});
		await recordVisit(db, makeVisit());
		await recordVisit(db, makeVisit());
		expect(await engine.syncOnce()).toMatchObject({ ok: false, error: 'offline' });
		expect(await engine.syncOnce()).toMatchObject({ ok: true, pushed: 2 });
		expect(server.received.map((m) => m.mutationId)).toEqual([1, 2]);
		const pushes = sent.filter((request) => request.path === '/api/sync/push').map((r) => r.body);
		expect(pushes.map(shapeOf)).toEqual(['full', 'range', 'full']);
		expect(await countPending(db)).toBe(0);
	});

	it('stops with queue_gap when a check moves nothing (an answer that would have it asked again forever)', async () => {
		const { db, engine, sent, server } = setup({
			answer: losingFirstPushAnswer((request) =>
				'digests' in (request.body as object)
					? jsonResponse({
							protocol: 2,
							results: [
								{ mutationId: 1, status: 'retry' },
								{ mutationId: 2, status: 'unknown' }
							],
							lastMutationId: 0,
							serverTime
						})
					: undefined
			)
		});
		server.rangeUndecided = true;
		await recordVisit(db, makeVisit());
		await recordVisit(db, makeVisit());
		expect(await engine.syncOnce()).toMatchObject({ ok: false, error: 'offline' });
		expect(await engine.syncOnce()).toMatchObject({ ok: false, error: 'queue_gap' });
		const pushed = sent.filter((request) => request.path === '/api/sync/push').map((r) => r.body);
		expect(pushed.map(shapeOf)).toEqual(['full', 'range', 'check']);
		expect(await countPending(db)).toBe(2);
	});

	it('sends a first push in full at once: no check before it', async () => {
		const { db, engine, sent } = setup();
		await recordVisit(db, makeVisit());
		expect(await engine.syncOnce()).toMatchObject({ ok: true, pushed: 1 });
		const pushes = sent.filter((request) => request.path === '/api/sync/push').map((r) => r.body);
		expect(pushes).toEqual([
			expect.objectContaining({ protocol: 2, firstMutationId: 1, mutations: expect.any(Array) })
		]);
	});

	it('asks about a whole backlog sent before with one range check, beyond one batch, and settles it from one run', async () => {
		const { db, server, engine, sent } = setup();
		for (let i = 0; i < 9; i++) await recordVisit(db, makeVisit());
		// The state of a tablet restored from a backup taken while its backlog was in flight: the server
		// holds all nine, the tablet has every entry, marked sent, and no answer.
		await adoptQueue(db, device.deviceId);
		server.push(numberedMutations(toPushRequest((await listPending(db, 9)).map(toWire))));
		await markSent(db, 9);
		expect(await engine.syncOnce()).toMatchObject({ ok: true, pushed: 9, rejected: 0 });
		expect(await countPending(db)).toBe(0);
		const pushed = sent.filter((request) => request.path === '/api/sync/push').map((r) => r.body);
		expect(pushed).toEqual([
			{
				protocol: 2,
				firstMutationId: 1,
				lastMutationId: 9,
				rangeDigest: expect.stringMatching(/^[0-9a-f]{64}$/)
			}
		]);
	});

	it('falls back to a check of each prefix when a range check gets no verdict', async () => {
		const { db, server, engine, sent } = setup({ answer: losingFirstPushAnswer() });
		await recordVisit(db, makeVisit());
		await recordVisit(db, makeVisit());
		expect(await engine.syncOnce()).toMatchObject({ ok: false, error: 'offline' });
		server.rangeUndecided = true;
		expect(await engine.syncOnce()).toMatchObject({ ok: true, pushed: 2 });
		const pushed = sent.filter((request) => request.path === '/api/sync/push').map((r) => r.body);
		expect(pushed.map(shapeOf)).toEqual(['full', 'range', 'check']);
		expect(pushed[1]).toEqual({
			protocol: 2,
			firstMutationId: 1,
			lastMutationId: 2,
			rangeDigest: expect.stringMatching(/^[0-9a-f]{64}$/)
		});
		expect(await countPending(db)).toBe(0);
	});

	it('refuses an answer whose run is longer than a range check covers, and keeps the queue', async () => {
		const { db, engine } = setup({
			answer: losingFirstPushAnswer((request) =>
				'rangeDigest' in (request.body as object)
					? jsonResponse({
							protocol: 2,
							results: [{ mutationId: 1, status: 'duplicate', through: 1e9 }],
							lastMutationId: 2,
							serverTime
						})
					: undefined
			)
		});
		await recordVisit(db, makeVisit());
		await recordVisit(db, makeVisit());
		expect(await engine.syncOnce()).toMatchObject({ ok: false, error: 'offline' });
		expect(await engine.syncOnce()).toMatchObject({ ok: false, error: 'invalid_response' });
		expect(await countPending(db)).toBe(2);
	});

	it('pulls pages until the server has no more, storing each cursor with its page', async () => {
		const { db, server, engine, sent } = setup();
		const referrals = [makeReferral(), makeReferral(), makeReferral()];
		server.changes = referrals.map((referral, i) => ({
			seq: i + 1,
			entity: 'referral',
			op: 'put',
			id: referral.id,
			data: {
				...referral,
				status: 'transmitted',
				history: [...referral.history, { status: 'transmitted', at: serverTime }]
			}
		}));
		expect(await engine.syncOnce()).toMatchObject({ ok: true, pulled: 3 });
		expect(
			sent.filter((r) => r.path === '/api/sync/pull').map((r) => (r.body as { cursor: unknown }).cursor)
		).toEqual([null, '2']);
		expect(await getMeta(db, 'sync.cursor')).toBe('3');
		expect((await getReferral(db, referrals[2]!.id))?.status).toBe('transmitted');
	});

	it('stops for good on a revoked device and remembers it without asking the network again', async () => {
		const { db, engine, sent } = setup({ answer: () => errorResponse(403, 'device_revoked') });
		await recordVisit(db, makeVisit());
		expect(await engine.syncOnce()).toEqual({ ok: false, error: 'device_revoked', final: true });
		expect(await getMeta(db, 'device.revoked')).toBe(true);
		expect(await engine.syncOnce()).toEqual({ ok: false, error: 'device_revoked', final: true });
		expect(sent).toHaveLength(1);
		expect(await countPending(db)).toBe(1);
	});

	it('does nothing on the network before the tablet is enrolled', async () => {
		const { db, engine, sent, credentials } = setup();
		await credentials.clear();
		await recordVisit(db, makeVisit());
		expect(await engine.syncOnce()).toEqual({ ok: false, error: 'not_enrolled', final: true });
		expect(sent).toHaveLength(0);
	});

	it('runs one sync at a time in the page: concurrent calls share it', async () => {
		const { db, engine, sent } = setup();
		await recordVisit(db, makeVisit());
		const [first, second] = await Promise.all([engine.syncOnce(), engine.syncOnce()]);
		expect(first).toBe(second);
		expect(pushes(sent)).toHaveLength(1);
	});

	it('holds the escale-sync Web Lock while it runs', async () => {
		const { db, server } = setup();
		const held: string[] = [];
		const locks: LockManagerLike = {
			request: async (name, callback) => {
				held.push(name);
				return callback();
			}
		};
		const engine = new SyncEngine({
			db,
			transport: createTransport({ fetch: recordingFetch((r) => server.answer(r)).fetch }),
			credentials: memoryCredentialStore(device),
			locks
		});
		await engine.syncOnce();
		expect(held).toEqual(['escale-sync']);
	});

	it('numbers the queue again for a new device identity, so its ids start at 1', async () => {
		const { db, engine, server } = setup();
		await recordVisit(db, makeVisit());
		await engine.syncOnce();
		await recordVisit(db, makeVisit());
		const reenrolled = new SyncEngine({
			db,
			transport: createTransport({ fetch: recordingFetch((r) => server.answer(r)).fetch }),
			credentials: memoryCredentialStore({ ...device, deviceId: 'device-2' })
		});
		expect((await listPending(db, 10)).map((entry) => entry.mutationId)).toEqual([2]);
		server.lastMutationId = 0;
		expect(await reenrolled.syncOnce()).toMatchObject({ ok: true, pushed: 1 });
	});

	it('numbers its queue on from the ledger when the server says an id was reused, and sends it again at once', async () => {
		const { db, server, engine, sent } = setup();
		const visits = [];
		for (let i = 0; i < 5; i++) visits.push(await recordVisit(db, makeVisit()));
		// The server acknowledged 20 mutations of this device before the tablet was restored.
		server.lastMutationId = 20;
		server.reusedAtOrBelow = 20;

		expect(await engine.syncOnce()).toEqual({ ok: true, pushed: 5, rejected: 0, pulled: 0 });
		expect(pushes(sent).map((batch) => batch.map((m) => m.mutationId))).toEqual([
			[1, 2, 3],
			[21, 22, 23],
			[24, 25]
		]);
		expect(server.received.map((m) => m.entityId)).toEqual(visits.map((visit) => visit.id));
		expect(await getMeta(db, 'outbox.lastMutationId')).toBe(25);
		await recordVisit(db, makeVisit());
		expect((await listPending(db, 10)).map((entry) => entry.mutationId)).toEqual([26]);
	});

	it('stops with queue_gap, its records kept, if the server keeps saying ids are reused', async () => {
		const { db, server, engine, sent } = setup();
		await recordVisit(db, makeVisit());
		server.reusedAtOrBelow = Number.MAX_SAFE_INTEGER;
		expect(await engine.syncOnce()).toEqual({ ok: false, error: 'queue_gap', final: false });
		expect(pushes(sent)).toHaveLength(3);
		expect(await countPending(db)).toBe(1);
	});
});
