import { afterEach, describe, expect, it } from 'vitest';
import { getMeta } from '$lib/client/db/meta';
import { countPending, listRejected } from '$lib/client/db/outbox';
import { recordReferral } from '$lib/client/db/referrals';
import { makeReferral } from '$factories/referral';
import { makeVisit } from '$factories/visit';
import { recordVisit } from '$lib/client/db/visits';
import { enroll } from '$lib/client/sync/credentials';
import { revokeDevice } from '$lib/server/sync/codes';
import type { Store } from '$lib/server/store/store';
import { day, openServer, serverNow, TestDevice } from './harness';

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

describe('the client engine against the real server handlers', () => {
	it('enrolls with a code and receives the bus schedule', async () => {
		const { tablet } = await enrolledDevice();
		expect(await tablet.db.serviceDays.get(day.id)).toEqual(day);
		expect((await tablet.credentials.load())?.busId).toBe('fs-1');
	});

	it('pushes visits and referrals once each, and drains the outbox', async () => {
		const { tablet, store } = await enrolledDevice();
		const visit = await recordVisit(tablet.db, makeVisit());
		await recordReferral(tablet.db, makeReferral({ visitId: visit.id }));
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: true, pushed: 2, rejected: 0 });
		expect(await countPending(tablet.db)).toBe(0);
		const rows = await store.syncStats.countRows();
		expect([rows.visits, rows.referrals]).toEqual([1, 1]);
	});

	it('sends again after a response lost once the server committed, without a duplicate', async () => {
		const { tablet, store } = await enrolledDevice();
		await recordVisit(tablet.db, makeVisit());
		tablet.faults.push('dropResponse');
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: false, error: 'offline' });
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: true });
		expect((await store.syncStats.countRows()).visits).toBe(1);
		expect(await countPending(tablet.db)).toBe(0);
	});

	it('keeps a record the server refuses visible as rejected, and the queue flowing', async () => {
		const { tablet } = await enrolledDevice();
		await recordVisit(tablet.db, makeVisit({ serviceDayId: 'fs-1-nulle-part@2026-03-10' }));
		await recordVisit(tablet.db, makeVisit());
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: true, pushed: 1, rejected: 1 });
		expect(await listRejected(tablet.db)).toMatchObject([{ rejectedReason: 'not_found' }]);
	});

	it('learns of a rejection whose answer was lost: the same mutation sent again gets the recorded rejection', async () => {
		const { tablet, store } = await enrolledDevice();
		await recordVisit(tablet.db, makeVisit({ serviceDayId: 'fs-1-nulle-part@2026-03-10' }));
		await recordVisit(tablet.db, makeVisit());
		tablet.faults.push('dropResponse');
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: false, error: 'offline' });
		const device = await tablet.credentials.load();
		// The server's ledger counts both: only a result naming each id may take it out of the queue.
		expect((await store.devices.get(device!.deviceId))?.lastMutationId).toBe(2);
		expect(await countPending(tablet.db)).toBe(2);

		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: true, pushed: 1, rejected: 1 });
		expect(await listRejected(tablet.db)).toMatchObject([{ mutationId: 1, rejectedReason: 'not_found' }]);
		expect((await store.syncStats.countRows()).rejected_mutations).toBe(1);
	});

	it("measures the tablet clock's offset from the server's answers", async () => {
		const { tablet } = await enrolledDevice();
		await tablet.engine.syncOnce();
		const offset = await getMeta(tablet.db, 'sync.clockOffsetMs');
		expect(Math.abs((offset ?? 0) - (serverNow().getTime() - Date.now()))).toBeLessThan(5_000);
	});

	it('tells a revoked device so, and keeps its records', async () => {
		const { tablet, store } = await enrolledDevice();
		await recordVisit(tablet.db, makeVisit());
		const device = await tablet.credentials.load();
		await revokeDevice(store, device!.deviceId);
		expect(await tablet.engine.syncOnce()).toEqual({ ok: false, error: 'device_revoked', final: true });
		expect(await countPending(tablet.db)).toBe(1);
	});
});

describe('a tablet that counts its mutation ids again from an old number', () => {
	it('loses none of 25 visits recorded after losing its database, when 20 were acknowledged before', async () => {
		const { tablet, store } = await enrolledDevice();
		for (let i = 0; i < 20; i++) await recordVisit(tablet.db, makeVisit());
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: true, pushed: 20 });

		await tablet.loseDatabase();
		const after: string[] = [];
		for (let i = 0; i < 25; i++) after.push((await recordVisit(tablet.db, makeVisit())).id);
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: true, pushed: 25, rejected: 0 });

		expect((await store.syncStats.countRows()).visits).toBe(45);
		expect((await store.syncRecords.getVisits(after)).size).toBe(25);
		expect(await countPending(tablet.db)).toBe(0);
		expect(await getMeta(tablet.db, 'outbox.lastMutationId')).toBe(45);
		const device = await tablet.credentials.load();
		expect((await store.devices.get(device!.deviceId))?.lastMutationId).toBe(45);
	});

	it('sends its pending records once each after its counter was cleared, the answer to the first push lost', async () => {
		const { tablet, store } = await enrolledDevice();
		for (let i = 0; i < 6; i++) await recordVisit(tablet.db, makeVisit());
		tablet.faults.push('dropResponse');
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: false, error: 'offline' });

		await tablet.loseCounter();
		for (let i = 0; i < 3; i++) await recordVisit(tablet.db, makeVisit());
		expect(await tablet.engine.syncOnce()).toMatchObject({ ok: true, rejected: 0 });

		expect((await store.syncStats.countRows()).visits).toBe(9);
		expect(await countPending(tablet.db)).toBe(0);
	});
});
