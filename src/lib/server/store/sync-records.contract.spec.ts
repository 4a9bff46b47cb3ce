/**
 * The sync records repository, one contract for both engines (issue 12, item 1): visits, withdrawals, referrals
 * and their events, crew reports, refused mutations and the digests of acknowledged ones, with the same
 * assertions on the SQLite store and on the PostgreSQL adapter, each on a database of its own. Both hold the
 * two buses of tests/factories/sync.ts (PostgreSQL gets them as plain rows: only this repository is tested).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseVisit, type Visit } from '$lib/domain/visit';
import type { Referral } from '$lib/domain/referral';
import { openPostgresEngine } from '$factories/engines';
import { A, B, openFixtureStore } from '$factories/sync';
import { referral as makeReferral, visit } from '$factories/records';
import { createPgChangeLogRepository } from './postgres/change-log';
import { createPgSyncRecordRepository } from './postgres/sync-records';
import { transactionScope } from './postgres/scope';
import type { ChangeRecord, RejectedMutationRecord, SyncRecordRepository, SyncTable } from './sync-store';

const AT = '2026-03-10T09:00:00.000Z';
const LATER = '2026-03-10T10:00:00.000Z';

interface Opened {
	records: SyncRecordRepository;
	/** Runs `fn` on the repository of one store transaction. */
	transaction(fn: (records: SyncRecordRepository) => Promise<void>): Promise<void>;
	addDevice(id: string, busId: string): Promise<void>;
	count(table: SyncTable): Promise<number>;
	changes(busId: string): Promise<ChangeRecord[]>;
	day(id: string): Promise<{ status: string; reason: string | null; revision: number } | null>;
	close(): Promise<void>;
}

const ENGINES: Record<string, () => Promise<Opened>> = {
	sqlite: async () => {
		const store = await openFixtureStore();
		return {
			records: store.syncRecords,
			transaction: (fn) => store.transaction((tx) => fn(tx.syncRecords)),
			addDevice: (id, busId) =>
				store.devices.insert({
					id,
					busId,
					secretHash: 'f'.repeat(64),
					appVersion: '1.0.0',
					createdAt: AT,
					revokedAt: null,
					lastMutationId: 0,
					lastSeenAt: null
				}),
			count: async (table) => (await store.syncStats.countRows())[table],
			changes: (busId) => store.changeLog.listForBus(busId, 0, 1000),
			day: async (id) => {
				const day = await store.serviceDays.get(id);
				return day ? { status: day.status, reason: day.reason, revision: day.revision } : null;
			},
			close: () => store.close()
		};
	},
	postgres: async () => {
		const { db, scope, close } = await openPostgresEngine();
		try {
			for (const [bus, stop, days] of [
				[A.bus, A.stop, A.days],
				[B.bus, B.stop, B.days]
			] as const) {
				await db.query(
					`INSERT INTO buses (id, anct_id, name, kind, departement, territory, time_zone, home_insee,
						home_commune, home_postal_code, home_address, latitude, longitude, takes_appointments, updated_at)
					VALUES ($1, $1, $1, 'bus', '36', 'Indre', 'Europe/Paris', '36044', 'Châteauroux', '36000',
						'Place de la République', 46.81, 1.69, false, $2)`,
					[bus, AT]
				);
				await db.query(
					`INSERT INTO stops (id, bus_id, insee, commune, postal_code, place, latitude, longitude, updated_at)
					VALUES ($1, $2, '36044', 'Châteauroux', '36000', 'Mairie', 46.81, 1.69, $3)`,
					[stop, bus, AT]
				);
				for (const [i, id] of days.entries()) {
					await db.query(
						`INSERT INTO service_days (id, bus_id, stop_id, date, start_time, end_time, status, updated_at)
						VALUES ($1, $2, $3, $4, '09:00', '12:00', 'planned', $5)`,
						[id, bus, stop, i === 0 ? '2026-03-10' : '2026-03-17', AT]
					);
				}
			}
		} catch (error) {
			await close();
			throw error;
		}
		return {
			records: createPgSyncRecordRepository(scope),
			transaction: (fn) =>
				db.transaction((connection) => fn(createPgSyncRecordRepository(transactionScope(connection)))),
			addDevice: async (id, busId) => {
				await db.query(
					`INSERT INTO devices (id, bus_id, secret_hash, app_version, created_at) VALUES ($1, $2, $3, '1.0.0', $4)`,
					[id, busId, 'f'.repeat(64), AT]
				);
			},
			count: async (table) => {
				// `table` is one of the SyncTable names, never outside input.
				const [row] = await db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table}`);
				return row?.n ?? 0;
			},
			changes: (busId) => createPgChangeLogRepository(db).listForBus(busId, 0, 1000),
			day: async (id) => {
				const [row] = await db.query<{ status: string; reason: string | null; revision: number }>(
					'SELECT status, reason, revision FROM service_days WHERE id = $1',
					[id]
				);
				return row ?? null;
			},
			close
		};
	}
};

function validVisit(serviceDayId: string = A.days[0], busId: string = A.bus): Visit {
	const parsed = parseVisit(visit(busId, serviceDayId));
	if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
	return parsed.value;
}

const entry = (v: Visit) => ({ visit: v, json: JSON.stringify(v) });

function rejection(deviceId: string, mutationId: number, busId: string = A.bus): RejectedMutationRecord {
	return {
		deviceId,
		busId,
		mutationId,
		kind: 'visit.create',
		entityId: `entity-${mutationId}`,
		reason: 'out_of_scope',
		detail: `détail ${mutationId}`,
		payload: 'null',
		at: AT
	};
}

const digest = (n: number) => n.toString(16).padStart(64, '0');

const CONTACT = { phone: '0612345678' };

let opened: Opened | null = null;
afterEach(async () => {
	await opened?.close();
	opened = null;
});

async function openWithDevices(open: () => Promise<Opened>): Promise<Opened> {
	opened = await open();
	await opened.addDevice('dev-a1', A.bus);
	await opened.addDevice('dev-a2', A.bus);
	await opened.addDevice('dev-b1', B.bus);
	return opened;
}

describe.each(Object.entries(ENGINES))('the sync records repository on %s', (_engine, open) => {
	it('inserts visits in one call and reads back, by id, only those stored, their JSON text as written', async () => {
		const { records, count } = await openWithDevices(open);
		const [v1, v2, v3] = [validVisit(), validVisit(A.days[1]), validVisit()];
		// Spacing and key order are kept: a replay is compared with this very text.
		const odd = `{ "z": 1,  "id": ${JSON.stringify(v2.id)} }`;
		await records.insertVisits([entry(v1), { visit: v2, json: odd }], 'dev-a1', AT);

		const found = await records.getVisits([v3.id, v1.id, v2.id, "it's-not-stored"]);
		expect([...found.keys()].sort()).toEqual([v1.id, v2.id].sort());
		expect(found.get(v1.id)).toEqual({ busId: A.bus, json: JSON.stringify(v1) });
		expect(found.get(v2.id)).toEqual({ busId: A.bus, json: odd });
		expect(await records.getVisit(v2.id)).toEqual({ busId: A.bus, json: odd });
		expect(await records.getVisit(v3.id)).toBeNull();
		expect((await records.getVisits([])).size).toBe(0);
		expect(await count('visits')).toBe(2);

		await records.insertVisit(v3, JSON.stringify(v3), 'dev-a2', AT);
		expect(await records.getVisit(v3.id)).toEqual({ busId: A.bus, json: JSON.stringify(v3) });
		await expect(records.insertVisit(v3, JSON.stringify(v3), 'dev-a2', AT)).rejects.toThrow();
	});

	it('reads more ids than SQLite takes bound parameters in one statement', async () => {
		const { records } = await openWithDevices(open);
		const stored = Array.from({ length: 40 }, () => validVisit());
		await records.insertVisits(stored.map(entry), 'dev-a1', AT);
		const unknown = Array.from({ length: 40_000 }, (_, i) => `unknown-${i}`);
		expect((await records.getVisits([...unknown, ...stored.map((v) => v.id)])).size).toBe(40);
	});

	it('inserts all the visits or none, alone or inside a transaction', async () => {
		const { records, count, transaction } = await openWithDevices(open);
		const [v1, v2] = [validVisit(), validVisit()];
		// The same id twice: the second insert fails, the first must not stay.
		await expect(records.insertVisits([entry(v1), entry(v2), entry(v1)], 'dev-a1', AT)).rejects.toThrow();
		expect(await count('visits')).toBe(0);

		await expect(
			transaction(async (tx) => {
				await tx.insertVisits([entry(v1)], 'dev-a1', AT);
				await tx.insertVisits([entry(v2), entry(v2)], 'dev-a1', AT);
			})
		).rejects.toThrow();
		expect(await count('visits')).toBe(0);

		await records.insertVisits([], 'dev-a1', AT);
		await transaction(async (tx) => {
			await tx.insertVisits([entry(v1)], 'dev-a1', AT);
			// Inside the transaction, a read sees what the batch wrote before it.
			expect((await tx.getVisits([v1.id])).has(v1.id)).toBe(true);
		});
		expect(await count('visits')).toBe(1);
	});

	it('tells where a visit stands, and counts each check-in once, in its current version, unless withdrawn', async () => {
		const { records, count } = await openWithDevices(open);
		const plain = validVisit();
		const corrected = validVisit();
		const correction = { ...validVisit(), correctionOf: corrected.id };
		const withdrawn = validVisit();
		const replacedThenWithdrawn = validVisit();
		const withdrawnCorrection = { ...validVisit(), correctionOf: replacedThenWithdrawn.id };
		const onB = validVisit(B.days[0], B.bus);
		await records.insertVisits(
			[plain, corrected, correction, withdrawn, replacedThenWithdrawn, withdrawnCorrection].map(entry),
			'dev-a1',
			AT
		);
		await records.insertVisits([entry(onB)], 'dev-b1', AT);
		for (const v of [withdrawn, withdrawnCorrection]) {
			await records.insertVisitWithdrawal(
				{ visitId: v.id, busId: A.bus, deviceId: 'dev-a2', at: AT },
				`{"visitId":"${v.id}","at":"${AT}"}`,
				LATER
			);
		}

		expect(await records.getVisitStanding(plain.id)).toEqual({
			busId: A.bus,
			replaced: false,
			withdrawalJson: null
		});
		expect(await records.getVisitStanding(corrected.id)).toEqual({
			busId: A.bus,
			replaced: true,
			withdrawalJson: null
		});
		expect(await records.getVisitStanding(withdrawn.id)).toEqual({
			busId: A.bus,
			replaced: false,
			withdrawalJson: `{"visitId":"${withdrawn.id}","at":"${AT}"}`
		});
		expect(await records.getVisitStanding('not-stored')).toBeNull();
		// The same visit withdrawn twice is refused.
		await expect(
			records.insertVisitWithdrawal(
				{ visitId: withdrawn.id, busId: A.bus, deviceId: 'dev-a2', at: AT },
				'{}',
				AT
			)
		).rejects.toThrow();

		// A: plain and the correction count; the withdrawn one, the replaced ones and the withdrawn correction
		// do not.
		expect(await records.countVisitsByBus([A.bus, B.bus, 'fs-none'])).toEqual(
			new Map([
				[A.bus, 2],
				[B.bus, 1]
			])
		);
		expect((await records.countVisitsByBus([])).size).toBe(0);
		expect(await count('visit_withdrawals')).toBe(2);
	});

	it("reads a device's rejections among many mutation ids in one call, and no other device's", async () => {
		const { records } = await openWithDevices(open);
		await records.insertRejection(rejection('dev-a1', 2));
		await records.insertRejection(rejection('dev-a1', 5));
		await records.insertRejection(rejection('dev-a2', 3));

		const found = await records.getRejections('dev-a1', [1, 2, 3, 4, 5, 6]);
		expect([...found.keys()].sort()).toEqual([2, 5]);
		expect(found.get(5)).toEqual(rejection('dev-a1', 5));
		expect(found.get(2)).toEqual(await records.getRejection('dev-a1', 2));
		expect(await records.getRejection('dev-a1', 3)).toBeNull();
		expect((await records.getRejections('dev-a2', [2, 3])).get(3)?.deviceId).toBe('dev-a2');
		expect((await records.getRejections('dev-a1', [])).size).toBe(0);
		const many = Array.from({ length: 5000 }, (_, i) => i + 1);
		expect((await records.getRejections('dev-a1', many)).size).toBe(2);
		expect((await records.getRejections('dev-a1', [1, 5, 90_000])).size).toBe(1);
		// One rejection per device and mutation id.
		await expect(records.insertRejection(rejection('dev-a1', 5))).rejects.toThrow();
	});

	it('lists the newest rejections of a bus, and of each of several buses, newest first', async () => {
		const { records } = await openWithDevices(open);
		for (let id = 1; id <= 4; id++) await records.insertRejection(rejection('dev-a1', id));
		for (let id = 1; id <= 3; id++) await records.insertRejection(rejection('dev-b1', id, B.bus));
		await records.insertRejection({ ...rejection('dev-a2', 7), kind: null, entityId: null, detail: null });

		const ids = (list: RejectedMutationRecord[]) => list.map((r) => `${r.deviceId}:${r.mutationId}`);
		expect(ids(await records.listRejections(A.bus, 3))).toEqual(['dev-a2:7', 'dev-a1:4', 'dev-a1:3']);
		expect((await records.listRejections(A.bus, 1))[0]).toEqual({
			...rejection('dev-a2', 7),
			kind: null,
			entityId: null,
			detail: null
		});
		expect(await records.listRejections('fs-none', 3)).toEqual([]);
		expect(ids(await records.listRejectionsByBus([B.bus, A.bus], 2))).toEqual([
			'dev-a2:7',
			'dev-a1:4',
			'dev-b1:3',
			'dev-b1:2'
		]);
		expect(await records.listRejectionsByBus([], 2)).toEqual([]);
	});

	it('reads digests back by mutation id for one device only, and writes them all or none', async () => {
		const { records, count } = await openWithDevices(open);
		await records.insertMutationDigests('dev-a1', [
			{ mutationId: 1, digest: digest(1) },
			{ mutationId: 2, digest: digest(2) }
		]);
		await records.insertMutationDigests('dev-a2', [{ mutationId: 1, digest: digest(9) }]);
		await records.insertMutationDigests('dev-a2', []);

		const found = await records.getMutationDigests('dev-a1', [2, 1, 3]);
		expect([...found.entries()].sort()).toEqual([
			[1, digest(1)],
			[2, digest(2)]
		]);
		expect((await records.getMutationDigests('dev-a1', [])).size).toBe(0);
		await expect(
			records.insertMutationDigests('dev-a1', [
				{ mutationId: 3, digest: digest(3) },
				{ mutationId: 1, digest: digest(4) }
			])
		).rejects.toThrow();
		expect(await count('mutation_digests')).toBe(3);
	});

	it('finds digests alike for ids that follow each other and for ids spread thinly', async () => {
		const { records } = await openWithDevices(open);
		const stored = [1, 2, 3, 4, 1_000, 50_000];
		await records.insertMutationDigests(
			'dev-a1',
			stored.map((mutationId) => ({ mutationId, digest: digest(mutationId) }))
		);
		const read = async (ids: number[]) =>
			[...(await records.getMutationDigests('dev-a1', ids)).keys()].sort((a, b) => a - b);
		expect(await read([2, 3, 4, 5])).toEqual([2, 3, 4]);
		expect(await read([4, 2])).toEqual([2, 4]);
		expect(await read([1, 1_000, 50_000, 70_000])).toEqual([1, 1_000, 50_000]);
	});

	it('joins the digest prefixes of a range in id order, lower-case, and counts them', async () => {
		const { records } = await openWithDevices(open);
		const full = (n: number) => `${'ab'.repeat(n)}${'cd'.repeat(32 - n)}`.replace('a', String(n % 10));
		// Written out of order, with a gap at 3.
		await records.insertMutationDigests('dev-a1', [
			{ mutationId: 4, digest: full(4) },
			{ mutationId: 1, digest: full(1).toUpperCase() },
			{ mutationId: 2, digest: full(2) }
		]);
		await records.insertMutationDigests('dev-a2', [{ mutationId: 2, digest: digest(7) }]);

		expect(await records.getDigestPrefixRange('dev-a1', 1, 4, 2)).toEqual({
			count: 3,
			text: `${full(1).slice(0, 4)}${full(2).slice(0, 4)}${full(4).slice(0, 4)}`
		});
		expect(await records.getDigestPrefixRange('dev-a1', 2, 3, 32)).toEqual({ count: 1, text: full(2) });
		expect(await records.getDigestPrefixRange('dev-a1', 5, 9, 4)).toEqual({ count: 0, text: '' });
	});

	it('finds a crew report again by its content, and sets the day it reports on', async () => {
		const { records, day, count } = await openWithDevices(open);
		const report = {
			serviceDayId: A.days[0],
			report: 'late' as const,
			delayMinutes: 20,
			reason: null,
			at: AT
		};
		expect(await records.hasServiceDayReport(report)).toBe(false);
		await records.reportServiceDay({ ...report, busId: A.bus, deviceId: 'dev-a1' }, 'held', null, AT);
		expect(await records.hasServiceDayReport(report)).toBe(true);
		expect(await records.hasServiceDayReport({ ...report, delayMinutes: 30 })).toBe(false);
		expect(await records.hasServiceDayReport({ ...report, delayMinutes: null })).toBe(false);
		expect(await records.hasServiceDayReport({ ...report, reason: 'breakdown' })).toBe(false);
		expect(await day(A.days[0])).toEqual({ status: 'held', reason: null, revision: 2 });

		const cancelled = {
			serviceDayId: A.days[0],
			report: 'cancelled' as const,
			delayMinutes: null,
			reason: 'weather' as const,
			at: LATER
		};
		await records.reportServiceDay(
			{ ...cancelled, busId: A.bus, deviceId: 'dev-a2' },
			'cancelled',
			'Neige',
			LATER
		);
		expect(await records.hasServiceDayReport(cancelled)).toBe(true);
		expect(await day(A.days[0])).toEqual({ status: 'cancelled', reason: 'Neige', revision: 3 });
		expect(await day(A.days[1])).toEqual({ status: 'planned', reason: null, revision: 1 });
		expect(await count('service_day_reports')).toBe(2);
	});

	it('stores referrals with their events, and lists them by due date or by bus', async () => {
		const { records, count } = await openWithDevices(open);
		const late = makeReferral(A.bus, validVisit().id);
		const soon: Referral = { ...makeReferral(A.bus, validVisit().id), dueDate: '2026-03-12' };
		const onB = makeReferral(B.bus, validVisit(B.days[0], B.bus).id);
		const moved: Referral = {
			...late,
			status: 'transmitted',
			history: [...late.history, { status: 'transmitted', at: LATER }]
		};
		await records.insertReferrals([{ referral: late, json: JSON.stringify(late) }], 'dev-a1', AT);
		await records.insertReferrals([{ referral: soon, json: JSON.stringify(soon) }], 'dev-a1', LATER);
		await records.insertReferrals([{ referral: onB, json: JSON.stringify(onB) }], 'dev-b1', LATER);
		await expect(
			records.insertReferrals([{ referral: late, json: JSON.stringify(late) }], 'dev-a1', AT)
		).rejects.toThrow();

		expect(await records.getReferral(late.id)).toEqual({
			busId: A.bus,
			status: 'open',
			createdJson: JSON.stringify(late),
			referral: late
		});
		expect(await records.getReferral('not-stored')).toBeNull();
		const ids = (list: Referral[]) => list.map((r) => r.id);
		expect(ids(await records.listReferrals({}))).toEqual([soon.id, late.id, onB.id]);
		expect(ids(await records.listReferrals({ busId: A.bus }))).toEqual([soon.id, late.id]);
		expect(ids(await records.listReferrals({ statuses: [] }))).toEqual([]);
		expect(ids(await records.listReferralsByBus(A.bus))).toEqual([late.id, soon.id]);

		await records.moveReferral(moved, 'dev-a2', LATER);
		expect(await records.getReferral(late.id)).toEqual({
			busId: A.bus,
			status: 'transmitted',
			createdJson: JSON.stringify(late),
			referral: moved
		});
		expect(ids(await records.listReferrals({ statuses: ['transmitted'] }))).toEqual([late.id]);
		expect(ids(await records.listReferrals({ busId: B.bus, statuses: ['open', 'closed'] }))).toEqual([
			onB.id
		]);
		// One event per step of each history, and one per move.
		expect(await count('referral_events')).toBe(4);
	});

	it('purges the contact of a referral that reaches a final status, wherever the server holds it', async () => {
		const { records, changes } = await openWithDevices(open);
		const withContact: Referral = {
			...makeReferral(A.bus, validVisit().id),
			consent: { version: 1, recordedAt: AT } as unknown as Referral['consent'],
			contact: CONTACT
		};
		const json = JSON.stringify(withContact);
		await records.insertReferrals([{ referral: withContact, json }], 'dev-a1', AT);
		await records.insertRejection({
			...rejection('dev-a1', 1),
			kind: 'referral.create',
			entityId: withContact.id,
			payload: json
		});
		await records.insertRejection({ ...rejection('dev-a1', 2), entityId: withContact.id });
		expect((await changes(A.bus)).filter((c) => c.id === withContact.id)).toHaveLength(1);

		const closed: Referral = {
			...withContact,
			status: 'closed',
			history: [...withContact.history, { status: 'closed', at: LATER }]
		};
		await records.moveReferral(closed, null, LATER);

		const stored = await records.getReferral(withContact.id);
		expect(stored?.referral).toEqual({ ...closed, contact: null });
		expect(JSON.parse(stored?.createdJson ?? '')).toEqual({ ...withContact, contact: null });
		const logged = (await changes(A.bus)).filter((c) => c.id === withContact.id);
		expect(logged).toHaveLength(2);
		for (const change of logged) expect((change.data as Referral).contact).toBeNull();
		expect(JSON.parse((await records.getRejection('dev-a1', 1))?.payload ?? '')).toEqual({
			...withContact,
			contact: null
		});
		expect((await records.getRejection('dev-a1', 2))?.payload).toBe('null');
	});

	it('stores a referral created already final without its contact, and logs its whole history', async () => {
		const { records, changes, count } = await openWithDevices(open);
		const closedAtOnce = closedOnTheTablet(makeReferral(A.bus, validVisit().id));
		await records.insertReferrals(
			[{ referral: closedAtOnce, json: JSON.stringify(closedAtOnce) }],
			'dev-a1',
			AT
		);

		const stored = await records.getReferral(closedAtOnce.id);
		expect(stored?.status).toBe('closed');
		expect(stored?.referral).toEqual({ ...closedAtOnce, contact: null });
		expect(JSON.parse(stored?.createdJson ?? '')).toEqual({ ...closedAtOnce, contact: null });
		const logged = (await changes(A.bus)).filter((c) => c.id === closedAtOnce.id);
		expect(logged.map((c) => (c.data as Referral).contact)).toEqual([null]);
		expect(await count('referral_events')).toBe(2);
	});

	it('inserts referrals in one go, in order, then the events of their histories, as one by one would', async () => {
		const { records, changes, count, transaction } = await openWithDevices(open);
		const first = makeReferral(A.bus, validVisit().id);
		const closedAtOnce = closedOnTheTablet(makeReferral(A.bus, validVisit().id));
		const last = makeReferral(A.bus, validVisit().id);
		const batch = [first, closedAtOnce, last].map((referral) => ({
			referral,
			json: JSON.stringify(referral)
		}));
		await transaction((tx) => tx.insertReferrals(batch, 'dev-a1', AT));
		await records.insertReferrals([], 'dev-a1', AT);

		const read = await records.getReferrals([last.id, 'not-stored', first.id, closedAtOnce.id]);
		expect([...read.keys()].sort()).toEqual([first.id, closedAtOnce.id, last.id].sort());
		for (const id of [first.id, closedAtOnce.id, last.id]) {
			expect(read.get(id)).toEqual(await records.getReferral(id));
		}
		expect(read.get(first.id)).toEqual({
			busId: A.bus,
			status: 'open',
			createdJson: JSON.stringify(first),
			referral: first
		});
		// Created final: stored and logged without its contact.
		expect(read.get(closedAtOnce.id)?.referral).toEqual({ ...closedAtOnce, contact: null });
		expect(JSON.parse(read.get(closedAtOnce.id)?.createdJson ?? '')).toEqual({
			...closedAtOnce,
			contact: null
		});
		const logged = (await changes(A.bus)).filter((c) => c.entity === 'referral');
		expect(logged.map((c) => c.id)).toEqual([first.id, closedAtOnce.id, last.id]);
		expect((logged[1]?.data as Referral).contact).toBeNull();
		expect(await count('referral_events')).toBe(4);
		expect(await records.getReferrals([])).toEqual(new Map());

		// All or none: a batch holding one already stored writes nothing of the others.
		const fresh = makeReferral(A.bus, validVisit().id);
		const again = [fresh, first].map((referral) => ({ referral, json: JSON.stringify(referral) }));
		await expect(transaction((tx) => tx.insertReferrals(again, 'dev-a1', LATER))).rejects.toThrow();
		expect(await records.getReferral(fresh.id)).toBeNull();
		expect(await count('referral_events')).toBe(4);
	});
});

/** A referral closed on the tablet before its first push, with the contact it was made with. */
function closedOnTheTablet(base: Referral): Referral {
	return {
		...base,
		consent: { version: 1, recordedAt: AT } as unknown as Referral['consent'],
		contact: CONTACT,
		status: 'closed',
		history: [...base.history, { status: 'closed', at: AT }]
	};
}
