import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentReference } from '$lib/domain/reference';
import type { Change } from '$lib/sync/protocol';
import type { Store } from '../store/store';
import type { BusScope } from '../access/scope';
import { handlePull, handlePush } from '../sync/http';
import { A, B, NOW, enrollDevice, now, openFixtureStore, post, seedTwoBuses } from '$factories/sync';
import { mutation, pushBody, referral, visit } from '$factories/records';
import { openTestDatabase, openTestStore } from '$factories/store';
import {
	listReferralsForCoordination,
	moveReferralFromCoordination,
	nextReferralStatuses
} from './follow-up';

/** A coordinator's reach today: the whole network. */
const NETWORK: BusScope = { all: true };
/** A reach limited to bus A (a tablet's, or an organisation's one day). */
const ONLY_A: BusScope = { all: false, busIds: new Set([A.bus]) };

const PHONE = '0612345678';
const EMAIL = 'personne.suivie@example.org';
const LATER = new Date('2026-03-12T14:00:00.000Z');

/** A referral with the person's consent and a way to call them back. */
function referralWithContact(busId: string, visitId: string) {
	return {
		...referral(busId, visitId),
		consent: { given: true, recordedAt: '2026-03-10T08:40:00.000Z' },
		contact: { phone: '06 12 34 56 78', email: EMAIL, callbackSlot: 'morning' }
	};
}

/** Pushes a visit and its referral from a fresh device of `busId`; returns the device and the referral. */
async function pushReferral(
	store: Store,
	busId: string,
	day: string,
	payload: (busId: string, visitId: string) => { id: string } = referralWithContact
) {
	const device = await enrollDevice(store, busId);
	const v = visit(busId, day);
	const r = { ...payload(busId, v.id) };
	const response = await handlePush(
		store,
		post(
			'push',
			pushBody([mutation(1, 'visit.create', v.id, v), mutation(2, 'referral.create', r.id, r)]),
			device.token
		),
		now
	);
	const body = (await response.json()) as { results: { status: string }[] };
	expect(body.results.map((result) => result.status)).toEqual(['applied', 'applied']);
	return { device, referral: r };
}

async function pullReferrals(store: Store, token: string): Promise<Change[]> {
	const response = await handlePull(
		store,
		post('pull', { protocol: 1, cursor: null, limit: 500 }, token),
		now
	);
	expect(response.status).toBe(200);
	const body = (await response.json()) as { changes: Change[]; hasMore: boolean };
	expect(body.hasMore).toBe(false);
	return body.changes.filter((change) => change.entity === 'referral');
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A store in a temporary file with the fixture's two buses, so a second connection can read the raw
 * rows (an in-memory database is private to its connection).
 */
async function openFileStore() {
	const dir = mkdtempSync(join(tmpdir(), 'escale-follow-up-'));
	const file = join(dir, 'escale.sqlite');
	const store = await openTestStore({
		file,
		now: () => NOW.toISOString(),
		seed: seedTwoBuses(['2026-03-10'])
	});
	cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
	cleanups.push(() => store.close());
	/** Every row of every table, as text: where a phone number could hide. */
	const dump = (): string => {
		const db = openTestDatabase({ file });
		try {
			const tables = db
				.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
				.all() as { name: string }[];
			return tables.map(({ name }) => JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())).join('\n');
		} finally {
			db.close();
		}
	};
	const rows = <T>(sql: string, ...params: string[]): T[] => {
		const db = openTestDatabase({ file });
		try {
			return db.prepare(sql).all(...params) as T[];
		} finally {
			db.close();
		}
	};
	return { store, dump, rows };
}

describe('listReferralsForCoordination', () => {
	it('lists the network referrals without any contact data, earliest due date first', async () => {
		const store = await openFixtureStore();
		const a = await pushReferral(store, A.bus, A.days[0]);
		const b = await pushReferral(store, B.bus, B.days[0], (busId, visitId) => ({
			...referral(busId, visitId),
			dueDate: '2026-03-20'
		}));

		const rows = await listReferralsForCoordination(store, NETWORK);
		expect(rows.map((row) => row.id)).toEqual([b.referral.id, a.referral.id]);
		expect(rows[1]).toEqual({
			id: a.referral.id,
			busId: A.bus,
			busName: 'Bus A',
			referenceVersion: currentReference.version,
			partner: 'CAF',
			target: 'franceServicesReferent',
			mode: 'partnerPlatform',
			reason: 'needsFileAccess',
			dueDate: '2026-03-24',
			status: 'open',
			recordedAt: '2026-03-10T08:41:00.000Z',
			history: [{ status: 'open', at: '2026-03-10T08:41:00.000Z' }],
			hasContact: true,
			consentGiven: true
		});
		expect(rows[0]).toMatchObject({ busName: 'Bus B', hasContact: false, consentGiven: false });
		const text = JSON.stringify(rows);
		expect(text).not.toContain(PHONE);
		expect(text).not.toContain(EMAIL);
		expect(text).not.toContain('morning');
	});

	it('filters by bus and by status', async () => {
		const store = await openFixtureStore();
		const a = await pushReferral(store, A.bus, A.days[0]);
		const b = await pushReferral(store, B.bus, B.days[0]);
		await moveReferralFromCoordination(store, NETWORK, b.referral.id, 'transmitted', LATER);

		const ids = async (filter: Parameters<typeof listReferralsForCoordination>[2]) =>
			(await listReferralsForCoordination(store, NETWORK, filter)).map((row) => row.id);
		expect(await ids({ busId: A.bus })).toEqual([a.referral.id]);
		expect(await ids({ statuses: ['transmitted'] })).toEqual([b.referral.id]);
		expect(await ids({ statuses: ['open', 'transmitted'] })).toHaveLength(2);
		expect(await ids({ busId: A.bus, statuses: ['transmitted'] })).toEqual([]);
		expect(await ids({ statuses: [] })).toEqual([]);
	});

	it('lists only the buses in the scope, and nothing for another bus asked by name', async () => {
		const store = await openFixtureStore();
		const a = await pushReferral(store, A.bus, A.days[0]);
		await pushReferral(store, B.bus, B.days[0]);

		const ids = async (filter: Parameters<typeof listReferralsForCoordination>[2] = {}) =>
			(await listReferralsForCoordination(store, ONLY_A, filter)).map((row) => row.id);
		expect(await ids()).toEqual([a.referral.id]);
		expect(await ids({ busId: B.bus })).toEqual([]);
		expect(await listReferralsForCoordination(store, { all: false, busIds: new Set() })).toEqual([]);
	});
});

describe('moveReferralFromCoordination', () => {
	it('answers a referral of a bus outside the scope as not found, and leaves it as it was', async () => {
		const store = await openFixtureStore();
		const { referral: r } = await pushReferral(store, B.bus, B.days[0]);

		expect(await moveReferralFromCoordination(store, ONLY_A, r.id, 'closed', LATER)).toEqual({
			ok: false,
			error: { code: 'not_found', referralId: r.id }
		});
		expect((await store.syncRecords.getReferral(r.id))?.status).toBe('open');
		expect((await store.syncRecords.getReferral(r.id))?.referral.contact).not.toBeNull();
	});

	it('moves forward, keeps the history, and the bus tablet pulls the new status', async () => {
		const store = await openFixtureStore();
		const { device, referral: r } = await pushReferral(store, A.bus, A.days[0]);
		const other = await enrollDevice(store, B.bus);
		const before = await store.syncStats.countRows();

		const result = await moveReferralFromCoordination(store, NETWORK, r.id, 'acknowledged', LATER);
		expect(result).toMatchObject({ ok: true, changed: true });
		if (!result.ok) return;
		expect(result.referral.status).toBe('acknowledged');
		expect(result.referral.history).toEqual([
			{ status: 'open', at: '2026-03-10T08:41:00.000Z' },
			{ status: 'acknowledged', at: LATER.toISOString() }
		]);
		const after = await store.syncStats.countRows();
		expect(after.referral_events).toBe(before.referral_events + 1);
		expect(after.change_log).toBe(before.change_log + 1);

		const pulled = await pullReferrals(store, device.token);
		expect(pulled.at(-1)).toMatchObject({
			entity: 'referral',
			op: 'put',
			id: r.id,
			data: { status: 'acknowledged', contact: { phone: PHONE } }
		});
		expect(await pullReferrals(store, other.token)).toEqual([]);
	});

	it('refuses a backwards move and an unknown referral with a typed error, and changes nothing', async () => {
		const store = await openFixtureStore();
		const { referral: r } = await pushReferral(store, A.bus, A.days[0]);
		await moveReferralFromCoordination(store, NETWORK, r.id, 'acknowledged', LATER);
		const counts = await store.syncStats.countRows();

		expect(await moveReferralFromCoordination(store, NETWORK, r.id, 'transmitted', LATER)).toEqual({
			ok: false,
			error: { code: 'status_backwards', referralId: r.id, from: 'acknowledged', to: 'transmitted' }
		});
		expect(
			await moveReferralFromCoordination(
				store,
				NETWORK,
				'c0ffee00-0000-4000-8000-000000000000',
				'closed',
				LATER
			)
		).toEqual({
			ok: false,
			error: { code: 'not_found', referralId: 'c0ffee00-0000-4000-8000-000000000000' }
		});
		const again = await moveReferralFromCoordination(store, NETWORK, r.id, 'acknowledged', LATER);
		expect(again).toMatchObject({ ok: true, changed: false });
		expect(await store.syncStats.countRows()).toEqual(counts);
		expect((await store.syncRecords.getReferral(r.id))?.status).toBe('acknowledged');
	});

	it('refuses any move out of a final status', async () => {
		const store = await openFixtureStore();
		const { referral: r } = await pushReferral(store, A.bus, A.days[0]);
		expect(await moveReferralFromCoordination(store, NETWORK, r.id, 'resolved', LATER)).toMatchObject({
			ok: true
		});
		expect(await moveReferralFromCoordination(store, NETWORK, r.id, 'closed', LATER)).toMatchObject({
			ok: false,
			error: { code: 'status_backwards', from: 'resolved', to: 'closed' }
		});
	});

	it('lists the next statuses along the lifecycle', () => {
		expect(nextReferralStatuses('open')).toEqual(['transmitted', 'acknowledged', 'resolved', 'closed']);
		expect(nextReferralStatuses('acknowledged')).toEqual(['resolved', 'closed']);
		expect(nextReferralStatuses('closed')).toEqual([]);
		expect(nextReferralStatuses('resolved')).toEqual([]);
	});
});

describe('contact purge on a final status', () => {
	it('a coordinator closing a referral removes its contact from every stored row, events without a device', async () => {
		const { store, dump, rows } = await openFileStore();
		const { device, referral: r } = await pushReferral(store, A.bus, A.days[0]);
		await moveReferralFromCoordination(store, NETWORK, r.id, 'transmitted', LATER);
		expect(dump()).toContain(PHONE);

		const closed = await moveReferralFromCoordination(store, NETWORK, r.id, 'closed', LATER);
		expect(closed).toMatchObject({ ok: true, referral: { status: 'closed', hasContact: false } });

		const text = dump();
		expect(text).not.toContain(PHONE);
		expect(text).not.toContain(EMAIL);
		const [row] = rows<{ payload: string; created_payload: string; status: string }>(
			'SELECT payload, created_payload, status FROM referrals WHERE id = ?',
			r.id
		);
		expect(row?.status).toBe('closed');
		expect(JSON.parse(row?.payload ?? '{}')).toMatchObject({ contact: null, consent: { given: true } });
		expect(JSON.parse(row?.created_payload ?? '{}')).toMatchObject({ status: 'open', contact: null });
		const logged = rows<{ data: string }>(
			"SELECT data FROM change_log WHERE entity = 'referral' AND entity_id = ? ORDER BY seq",
			r.id
		).map((entry) => JSON.parse(entry.data) as { status: string; contact: unknown });
		expect(logged.map((entry) => entry.status)).toEqual(['open', 'transmitted', 'closed']);
		expect(logged.every((entry) => entry.contact === null)).toBe(true);
		expect(
			rows<{ status: string; device_id: string | null }>(
				'SELECT status, device_id FROM referral_events WHERE referral_id = ? ORDER BY id',
				r.id
			)
		).toEqual([
			{ status: 'open', device_id: device.deviceId },
			{ status: 'transmitted', device_id: null },
			{ status: 'closed', device_id: null }
		]);

		const pulled = await pullReferrals(store, device.token);
		expect(pulled.at(-1)?.data).toMatchObject({ status: 'closed', contact: null });
		expect(JSON.stringify(pulled)).not.toContain(PHONE);
	});

	it("a tablet's resolved status removes the contact too, and the refused payloads of that referral", async () => {
		const { store, dump, rows } = await openFileStore();
		const { device, referral: r } = await pushReferral(store, A.bus, A.days[0]);
		// The same id with another content is refused and its validated payload kept for the coordinator.
		const conflicting = { ...r, dueDate: '2026-04-01' };
		const status = {
			referralId: r.id,
			status: 'resolved',
			at: '2026-03-11T10:00:00.000Z'
		};
		const response = await handlePush(
			store,
			post(
				'push',
				pushBody([
					mutation(3, 'referral.create', r.id, conflicting),
					mutation(4, 'referral.status', r.id, status)
				]),
				device.token
			),
			now
		);
		const body = (await response.json()) as { results: { status: string; reason?: string }[] };
		expect(body.results).toEqual([
			expect.objectContaining({ status: 'rejected', reason: 'conflict' }),
			expect.objectContaining({ status: 'applied' })
		]);

		expect(dump()).not.toContain(PHONE);
		const [rejected] = rows<{ payload: string }>(
			'SELECT payload FROM rejected_mutations WHERE entity_id = ?',
			r.id
		);
		expect(JSON.parse(rejected?.payload ?? '{}')).toMatchObject({ dueDate: '2026-04-01', contact: null });
		expect((await store.syncRecords.getReferral(r.id))?.referral).toMatchObject({
			status: 'resolved',
			contact: null
		});
	});

	it('a referral pushed already closed is stored without its contact', async () => {
		const { store, dump } = await openFileStore();
		const { referral: r } = await pushReferral(store, A.bus, A.days[0], (busId, visitId) => {
			const base = referralWithContact(busId, visitId);
			return {
				...base,
				status: 'closed',
				history: [...base.history, { status: 'closed', at: '2026-03-10T08:50:00.000Z' }]
			};
		});
		expect(dump()).not.toContain(PHONE);
		expect((await store.syncRecords.getReferral(r.id))?.referral.contact).toBeNull();
	});

	it('keeps the contact while the status is not final', async () => {
		const { store, rows } = await openFileStore();
		const { referral: r } = await pushReferral(store, A.bus, A.days[0]);
		await moveReferralFromCoordination(store, NETWORK, r.id, 'acknowledged', LATER);
		const [row] = rows<{ payload: string }>('SELECT payload FROM referrals WHERE id = ?', r.id);
		expect(JSON.parse(row?.payload ?? '{}')).toMatchObject({ contact: { phone: PHONE } });
	});
});
