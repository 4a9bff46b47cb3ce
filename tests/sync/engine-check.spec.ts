/**
 * The check, client against the real server: every outbox entry keeps its digest prefix, the same as the
 * server's `digestMutation` of what it receives, for every kind; a push whose answer was lost is followed
 * by a range check (one digest of the prefixes), else a check of each prefix, answered from the server's
 * ledger, and nothing is applied or sent twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { correctVisit, withdrawVisit } from '$lib/client/db/check-in';
import { saveCommunes } from '$lib/client/db/communes';
import { openOffPlanStop } from '$lib/client/db/off-plan';
import { countPending, listRejected, type OutboxEntry } from '$lib/client/db/outbox';
import { moveReferral, recordReferral } from '$lib/client/db/referrals';
import { reportServiceDay } from '$lib/client/db/service-day-reports';
import { recordVisit } from '$lib/client/db/visits';
import { enroll } from '$lib/client/sync/credentials';
import { digestMutation } from '$lib/server/sync/push';
import type { Store } from '$lib/server/store/store';
import {
	DIGEST_PREFIX_LENGTH,
	MUTATION_KINDS,
	numberedMutations,
	toPushRequest,
	type Mutation
} from '$lib/sync';
import { makeReferral } from '$factories/referral';
import { makeVisit } from '$factories/visit';
import { day, isCheck, isRangeCheck, openServer, serverNow, TestDevice } from './harness';

let store: Store | undefined;
afterEach(async () => {
	await store?.close();
	store = undefined;
});

async function enrolledDevice() {
	const server = await openServer();
	store = server.store;
	const tablet = new TestDevice(server.store);
	const outcome = await enroll(
		{ db: tablet.db, transport: tablet.transport, credentials: tablet.credentials, appVersion: '0.1.0' },
		server.code
	);
	expect(outcome.ok).toBe(true);
	return { tablet, store: server.store };
}

/** The server's digest prefix of an outbox entry, read from the wire as the server reads it. */
function serverPrefix(entry: OutboxEntry): string {
	const { mutationId, kind, entityId, schemaVersion, createdAt, payload } = entry;
	const mutation: Mutation = { mutationId, kind, entityId, schemaVersion, createdAt, payload };
	const wire: unknown = JSON.parse(JSON.stringify(toPushRequest([mutation])));
	const [received] = numberedMutations(wire as ReturnType<typeof toPushRequest>);
	if (!received) throw new Error('no mutation');
	return digestMutation(received).slice(0, DIGEST_PREFIX_LENGTH);
}

/** One mutation of every kind, through the repositories the screens use. */
async function writeOneOfEach(tablet: TestDevice): Promise<void> {
	const now = serverNow();
	const visit = await recordVisit(tablet.db, makeVisit());
	const referral = await recordReferral(tablet.db, makeReferral({ visitId: visit.id }));
	await moveReferral(tablet.db, referral.id, 'transmitted', now);
	await reportServiceDay(tablet.db, { serviceDayId: day.id, report: 'late', delayMinutes: 15 }, now);
	const other = await recordVisit(tablet.db, makeVisit());
	// Closed by the withdrawal below: its `referral.status` closure keeps a digest too.
	await recordReferral(tablet.db, makeReferral({ visitId: other.id }));
	const correction = await correctVisit(
		tablet.db,
		other.id,
		makeVisit({ serviceDayId: other.serviceDayId }),
		now
	);
	await withdrawVisit(tablet.db, correction.id, now);
	// An off-plan stop in a commune of the official list (Guéret), held by the tablet as after a sync.
	const bus = await tablet.db.buses.toCollection().first();
	if (!bus) throw new Error('the enrolled tablet holds no bus');
	await saveCommunes(tablet.db, bus.departement, [
		{ insee: '23096', name: 'Guéret', postalCodes: ['23000'] }
	]);
	await openOffPlanStop(tablet.db, { insee: '23096', place: 'Parking', start: '09:00', end: '10:00' }, now);
}

describe('the digest prefix an outbox entry keeps', () => {
	it("is the server's digestMutation of the mutation as received, for every kind", async () => {
		const { tablet } = await enrolledDevice();
		await writeOneOfEach(tablet);
		const entries = await tablet.db.outbox.orderBy('seq').toArray();
		expect(new Set(entries.map((entry) => entry.kind))).toEqual(new Set(MUTATION_KINDS));
		const closure = entries.find(
			(entry) => entry.kind === 'referral.status' && entry.payload.status === 'closed'
		);
		expect(closure?.digest).toBeDefined();
		for (const entry of entries) {
			expect(entry.digest, entry.kind).toMatch(/^[0-9a-f]{16}$/);
			expect(entry.digest, entry.kind).toBe(serverPrefix(entry));
		}
	});
});

describe('a push whose answer was lost', () => {
	it('is followed by a range check, answered all duplicate from the ledger: nothing applied or sent twice', async () => {
		const { tablet, store } = await enrolledDevice();
		await writeOneOfEach(tablet);
		const queued = await countPending(tablet.db);
		// The harness's engine sends 4 mutations a push: the answer to the first 4 is lost.
		tablet.faults.push('dropResponse');
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: false, error: 'offline' });
		const rows = await store.syncStats.countRows();
		expect(rows.mutation_digests).toBe(4);

		const before = tablet.received.length;
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: true, pushed: queued, rejected: 0 });
		const pushes = tablet.received.slice(before).filter((r) => r.path === '/api/sync/push');
		expect(pushes.map((r) => r.body)).toEqual([
			{
				protocol: 2,
				firstMutationId: 1,
				lastMutationId: 4,
				rangeDigest: expect.stringMatching(/^[0-9a-f]{64}$/)
			},
			// The rest, never sent, in full: 4 a push.
			expect.objectContaining({ firstMutationId: 5, mutations: expect.any(Array) }),
			expect.objectContaining({ firstMutationId: 9, mutations: expect.any(Array) })
		]);
		const after = await store.syncStats.countRows();
		expect(after.mutation_digests).toBe(queued);
		expect([after.visits, after.referrals, after.rejected_mutations]).toEqual([3, 2, 0]);
		expect(await countPending(tablet.db)).toBe(0);
	});

	it('learns from the check of a rejection recorded the first time', async () => {
		const { tablet, store } = await enrolledDevice();
		await recordVisit(tablet.db, makeVisit({ serviceDayId: 'fs-1-nulle-part@2026-03-10' }));
		await recordVisit(tablet.db, makeVisit());
		tablet.faults.push('dropResponse');
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: false });
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: true, pushed: 1, rejected: 1 });
		expect(await listRejected(tablet.db)).toMatchObject([{ mutationId: 1, rejectedReason: 'not_found' }]);
		expect(tablet.received.filter(isCheck)).toHaveLength(1);
		expect((await store.syncStats.countRows()).rejected_mutations).toBe(1);
	});

	it('sends in full what the range check answers unknown (the request itself was lost), once', async () => {
		const { tablet, store } = await enrolledDevice();
		for (let i = 0; i < 3; i++) await recordVisit(tablet.db, makeVisit());
		tablet.faults.push('dropRequest');
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: false, error: 'offline' });
		const before = tablet.received.length;
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: true, pushed: 3 });
		const pushes = tablet.received.slice(before).filter((r) => r.path === '/api/sync/push');
		expect(pushes.map((r) => (isRangeCheck(r) ? 'range' : isCheck(r) ? 'check' : 'full'))).toEqual([
			'range',
			'full'
		]);
		expect((await store.syncStats.countRows()).visits).toBe(3);
	});

	it('checks only the entries sent before, and sends the ones written since in full', async () => {
		const { tablet, store } = await enrolledDevice();
		for (let i = 0; i < 2; i++) await recordVisit(tablet.db, makeVisit());
		tablet.faults.push('dropResponse');
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: false });
		for (let i = 0; i < 2; i++) await recordVisit(tablet.db, makeVisit());
		const before = tablet.received.length;
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: true, pushed: 4 });
		const pushes = tablet.received.slice(before).filter((r) => r.path === '/api/sync/push');
		expect(pushes.map((r) => r.body)).toEqual([
			{ protocol: 2, firstMutationId: 1, lastMutationId: 2, rangeDigest: expect.any(String) },
			expect.objectContaining({ firstMutationId: 3, mutations: expect.any(Array) })
		]);
		expect((await store.syncStats.countRows()).visits).toBe(4);
	});

	it('is renumbered as a reused id when the ledger holds other mutations under its ids (a lost counter)', async () => {
		const { tablet, store } = await enrolledDevice();
		for (let i = 0; i < 2; i++) await recordVisit(tablet.db, makeVisit());
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: true, pushed: 2 });
		// A restored tablet counts from 1 again; its first push's answer is lost.
		await tablet.loseDatabase();
		for (let i = 0; i < 3; i++) await recordVisit(tablet.db, makeVisit());
		tablet.faults.push('dropResponse');
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: false });
		const before = tablet.received.length;
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: true, rejected: 0 });
		// The range check finds other digests: no verdict; the check of each prefix names the reused ids.
		const pushes = tablet.received.slice(before).filter((r) => r.path === '/api/sync/push');
		expect(
			pushes.slice(0, 2).map((r) => (isRangeCheck(r) ? 'range' : isCheck(r) ? 'check' : 'full'))
		).toEqual(['range', 'check']);
		expect((await store.syncStats.countRows()).visits).toBe(5);
		expect(await countPending(tablet.db)).toBe(0);
	});
});
