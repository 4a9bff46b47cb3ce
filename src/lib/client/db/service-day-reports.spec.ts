import { describe, expect, it } from 'vitest';
import { InvalidRecordError, StorageFullError } from './errors';
import { getMeta } from './meta';
import { listPending } from './outbox';
import { getServiceDay } from './schedule';
import type { EscaleDb } from './schema';
import { latestReport, listReportsOfServiceDay, reportServiceDay } from './service-day-reports';
import { failNextWrite, openTestDb } from './testing';
import { makeServiceDay } from '$factories/schedule';

const DAY = makeServiceDay();
const NOW = new Date('2026-03-10T09:40:00.000Z');

async function dbWithDay(): Promise<EscaleDb> {
	const db = openTestDb();
	await db.serviceDays.add(DAY);
	return db;
}

async function rowCounts(db: EscaleDb) {
	return {
		reports: await db.serviceDayReports.count(),
		outbox: await db.outbox.count(),
		lastMutationId: await getMeta(db, 'outbox.lastMutationId'),
		day: await getServiceDay(db, DAY.id)
	};
}
const NOTHING_WRITTEN = { reports: 0, outbox: 0, lastMutationId: undefined, day: DAY };

describe('reportServiceDay', () => {
	it('stores a late report, marks the day held with the delay, and queues the report, together', async () => {
		const db = await dbWithDay();
		const report = await reportServiceDay(
			db,
			{ serviceDayId: DAY.id, report: 'late', delayMinutes: 20 },
			NOW
		);

		const payload = {
			serviceDayId: DAY.id,
			report: 'late',
			delayMinutes: 20,
			at: '2026-03-10T09:40:00.000Z'
		};
		expect(report).toEqual({ ...payload, id: 1 });
		expect(await getServiceDay(db, DAY.id)).toEqual({
			...DAY,
			status: 'held',
			reason: "Retard d'environ 20 min"
		});
		expect(await listPending(db, 10)).toMatchObject([
			{ mutationId: 1, kind: 'serviceDay.report', entityId: DAY.id, status: 'pending' }
		]);
		// The queued payload is the wire shape exactly: no local id slipped into it.
		expect((await listPending(db, 10))[0]?.payload).toEqual(payload);
	});

	it('marks a cancelled day with the public words of its reason, as the server does', async () => {
		const db = await dbWithDay();
		await reportServiceDay(db, { serviceDayId: DAY.id, report: 'cancelled', reason: 'breakdown' }, NOW);
		expect(await getServiceDay(db, DAY.id)).toMatchObject({
			status: 'cancelled',
			reason: 'Panne du véhicule'
		});
	});

	it('marks a held day held with no reason, replacing the reason of an earlier report', async () => {
		const db = await dbWithDay();
		await reportServiceDay(db, { serviceDayId: DAY.id, report: 'cancelled', reason: 'weather' }, NOW);
		await reportServiceDay(db, { serviceDayId: DAY.id, report: 'held' }, NOW);
		expect(await getServiceDay(db, DAY.id)).toMatchObject({ status: 'held', reason: null });
		expect(await listPending(db, 10)).toHaveLength(2);
	});

	it('refuses a late report without its delay, naming delayMinutes, and writes nothing', async () => {
		const db = await dbWithDay();
		const error = await reportServiceDay(db, { serviceDayId: DAY.id, report: 'late' }, NOW).catch(
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(InvalidRecordError);
		expect((error as InvalidRecordError).issues).toEqual([
			{ path: 'delayMinutes', message: 'Un retard demande sa durée en minutes' }
		]);
		expect(await rowCounts(db)).toEqual(NOTHING_WRITTEN);
	});

	it('refuses a cancellation without its reason, and a delay on a day not late', async () => {
		const db = await dbWithDay();
		await expect(
			reportServiceDay(db, { serviceDayId: DAY.id, report: 'cancelled' }, NOW)
		).rejects.toMatchObject({ issues: [{ path: 'reason' }] });
		await expect(
			reportServiceDay(db, { serviceDayId: DAY.id, report: 'held', delayMinutes: 5 }, NOW)
		).rejects.toMatchObject({ issues: [{ path: 'delayMinutes' }] });
		expect(await rowCounts(db)).toEqual(NOTHING_WRITTEN);
	});

	it('refuses what the wire schema refuses (a delay of 0 minutes, an unknown reason)', async () => {
		const db = await dbWithDay();
		await expect(
			reportServiceDay(db, { serviceDayId: DAY.id, report: 'late', delayMinutes: 0 }, NOW)
		).rejects.toMatchObject({ issues: [{ path: 'delayMinutes' }] });
		const badReason = { serviceDayId: DAY.id, report: 'cancelled', reason: 'strike' } as never;
		await expect(reportServiceDay(db, badReason, NOW)).rejects.toBeInstanceOf(InvalidRecordError);
		expect(await rowCounts(db)).toEqual(NOTHING_WRITTEN);
	});

	it('refuses a service day the tablet does not hold, and writes nothing', async () => {
		const db = await dbWithDay();
		await expect(
			reportServiceDay(db, { serviceDayId: 'rule-9@2026-03-10', report: 'held' }, NOW)
		).rejects.toMatchObject({ issues: [{ path: 'serviceDayId' }] });
		expect(await rowCounts(db)).toEqual(NOTHING_WRITTEN);
	});

	it('writes nothing when the disk fills on the outbox write, and says storage is full', async () => {
		const db = await dbWithDay();
		failNextWrite('outbox', 'QuotaExceededError');
		await expect(
			reportServiceDay(db, { serviceDayId: DAY.id, report: 'cancelled', reason: 'staff' }, NOW)
		).rejects.toBeInstanceOf(StorageFullError);
		expect(await rowCounts(db)).toEqual(NOTHING_WRITTEN);
	});
});

describe('report lists', () => {
	it("lists one day's reports oldest first, and its latest", async () => {
		const db = await dbWithDay();
		const other = makeServiceDay({ id: 'fs-1-marche@2026-03-17', date: '2026-03-17' });
		await db.serviceDays.add(other);
		expect(await latestReport(db, DAY.id)).toBeUndefined();

		await reportServiceDay(db, { serviceDayId: DAY.id, report: 'late', delayMinutes: 15 }, NOW);
		await reportServiceDay(db, { serviceDayId: other.id, report: 'held' }, NOW);
		await reportServiceDay(db, { serviceDayId: DAY.id, report: 'held' }, NOW);

		expect((await listReportsOfServiceDay(db, DAY.id)).map((r) => r.report)).toEqual(['late', 'held']);
		expect(await latestReport(db, DAY.id)).toMatchObject({ id: 3, report: 'held' });
	});
});
