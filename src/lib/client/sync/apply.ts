/**
 * Writing what the server sends into the tablet's database: the enrollment snapshot and each pull page, each in ONE
 * Dexie transaction together with the cursor it brings the tablet to (docs/offline-data-loss.md, item 9: a
 * checkpoint written apart from its data loses changes). A record with a mutation still waiting to reach the server
 * is never overwritten: the local edit wins until it is acknowledged, and the server's version comes back later.
 */
import * as v from 'valibot';
import { parseReferral, type Referral } from '$lib/domain/referral';
import type { Bus, ServiceDay, Stop } from '$lib/domain/schedule';
import {
	BusRecordSchema,
	ServiceDayRecordSchema,
	StopRecordSchema,
	type Change,
	type EnrollResponse
} from '$lib/sync';
import { withStorageErrors } from '$lib/client/db/errors';
import { isPending, outboxTables, renumberForNewDevice } from '$lib/client/db/outbox';
import { replaceSchedule } from '$lib/client/db/schedule';
import type { EscaleDb } from '$lib/client/db/schema';

function syncTables(db: EscaleDb) {
	return [db.buses, db.stops, db.serviceDays, db.referrals, ...outboxTables(db)];
}

function validReferrals(inputs: readonly unknown[]): Referral[] {
	return inputs.flatMap((input) => {
		const parsed = parseReferral(input);
		return parsed.ok ? [parsed.value] : [];
	});
}

/** The snapshot of an enrollment, as the transport validated it (referrals still unchecked). */
export type EnrollSnapshot = Omit<EnrollResponse, 'snapshot' | 'bus'> & {
	bus: v.InferOutput<typeof BusRecordSchema>;
	snapshot: Omit<EnrollResponse['snapshot'], 'referrals'> & { referrals: unknown[] };
};

/**
 * Stores an enrollment: the bus's schedule, its referrals, the cursor, the bus id, and the queue renumbered
 * for the new device identity. Records the crew wrote before (and still pending) are kept as they are.
 */
export async function applySnapshot(db: EscaleDb, enrollment: EnrollSnapshot): Promise<void> {
	const referrals = validReferrals(enrollment.snapshot.referrals);
	// Must stay true: the tablet holds a snapshot exactly when it holds the cursor it was taken at, and the
	// queue's ids match the identity that will push them.
	await withStorageErrors(() =>
		db.transaction('rw', [...syncTables(db)], async (tx) => {
			await replaceSchedule(db, {
				bus: enrollment.bus as Bus,
				stops: enrollment.snapshot.stops,
				serviceDays: enrollment.snapshot.serviceDays
			});
			for (const referral of referrals) {
				if (!(await isPending(db, referral.id))) await tx.referrals.put(referral);
			}
			await adoptQueue(db, enrollment.deviceId);
			await tx.meta.bulkPut([
				{ key: 'device.busId', value: enrollment.bus.id },
				{ key: 'device.revoked', value: false },
				{ key: 'sync.cursor', value: enrollment.snapshot.cursor }
			]);
		})
	);
}

/**
 * Makes the outbox's mutation ids those of device `deviceId` (renumbered from 1 when the queue was numbered
 * for another identity, or for none). Joins the caller's transaction; cheap when nothing changes.
 */
export async function adoptQueue(db: EscaleDb, deviceId: string): Promise<void> {
	// Must stay true: the ids and the identity they belong to change together.
	await withStorageErrors(() =>
		db.transaction('rw', [...outboxTables(db)], async (tx) => {
			const owner = await tx.meta.get('device.id');
			if (owner?.value === deviceId) return;
			await renumberForNewDevice(tx);
			await tx.meta.put({ key: 'device.id', value: deviceId });
		})
	);
}

type Row =
	| { table: 'buses'; value: Bus }
	| { table: 'stops'; value: Stop }
	| { table: 'serviceDays'; value: ServiceDay }
	| { table: 'referrals'; value: Referral };

const TABLES = { bus: 'buses', stop: 'stops', serviceDay: 'serviceDays', referral: 'referrals' } as const;

/** The record a `put` change carries, checked; null when it does not validate (it is skipped, not stored). */
function rowOf(change: Change): Row | null {
	const check = <T>(schema: v.GenericSchema<unknown, T>) => {
		const parsed = v.safeParse(schema, change.data);
		return parsed.success && (parsed.output as { id?: unknown }).id === change.id ? parsed.output : null;
	};
	switch (change.entity) {
		case 'bus': {
			const value = check(BusRecordSchema);
			return value && { table: 'buses', value: value as Bus };
		}
		case 'stop': {
			const value = check(StopRecordSchema);
			return value && { table: 'stops', value };
		}
		case 'serviceDay': {
			const value = check(ServiceDayRecordSchema);
			return value && { table: 'serviceDays', value };
		}
		case 'referral': {
			const parsed = parseReferral(change.data);
			return parsed.ok && parsed.value.id === change.id ? { table: 'referrals', value: parsed.value } : null;
		}
	}
}

/** What applying a page did: records written or deleted, kept because of local edits, and skipped as invalid. */
export interface PageReport {
	applied: number;
	keptLocal: number;
	invalid: number;
}

/** Applies one pull page and stores its cursor, both or neither. */
export async function applyPage(
	db: EscaleDb,
	changes: readonly Change[],
	cursor: string
): Promise<PageReport> {
	const report: PageReport = { applied: 0, keptLocal: 0, invalid: 0 };
	// Must stay true: the stored cursor never passes a change that is not on the tablet (or deliberately kept
	// local because the crew's edit is still pending), and a pending record is never overwritten.
	await withStorageErrors(() =>
		db.transaction('rw', [...syncTables(db)], async (tx) => {
			for (const change of changes) {
				if (await isPending(db, change.id)) {
					report.keptLocal++;
					continue;
				}
				if (change.op === 'delete') {
					await tx.table(TABLES[change.entity]).delete(change.id);
					report.applied++;
					continue;
				}
				const row = rowOf(change);
				if (!row) {
					report.invalid++;
					continue;
				}
				await tx.table(row.table).put(row.value);
				report.applied++;
			}
			await tx.meta.put({ key: 'sync.cursor', value: cursor });
		})
	);
	return report;
}
