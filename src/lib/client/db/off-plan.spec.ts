import { describe, expect, it } from 'vitest';
import { findHeldCommune, saveCommunes, searchHeldCommunes } from './communes';
import { InvalidRecordError, StorageFullError } from './errors';
import { setMeta } from './meta';
import { openOffPlanStop } from './off-plan';
import { listPending } from './outbox';
import type { EscaleDb } from './schema';
import { reportServiceDay } from './service-day-reports';
import { failNextWrite, openTestDb } from './testing';
import { makeBus } from '$factories/bus';
import { makeStop } from '$factories/schedule';

const UUID = '4f0c2b7e-8d1a-4c3e-9b2f-1a2b3c4d5e6f';
/** 11:20 in Paris on Tuesday 10 March 2026. */
const NOW = new Date('2026-03-10T10:20:00.000Z');
const AHUN = { insee: '23001', name: 'Ahun', postalCodes: ['23150'] };
const GUERET = { insee: '23096', name: 'Guéret', postalCodes: ['23000'] };
const SAINT_VAURY = { insee: '23238', name: 'Saint-Vaury', postalCodes: ['23320'] };

async function enrolledTablet(): Promise<EscaleDb> {
	const db = openTestDb();
	await db.buses.add(makeBus({ id: 'fs-1', departement: '23', latitude: 46.1, longitude: 2.0 }));
	await db.stops.add(makeStop());
	await setMeta(db, 'device.busId', 'fs-1');
	await saveCommunes(db, '23', [AHUN, GUERET, SAINT_VAURY]);
	return db;
}

const counts = async (db: EscaleDb) => ({
	days: await db.serviceDays.count(),
	stops: await db.stops.count(),
	outbox: await db.outbox.count()
});

describe('openOffPlanStop', () => {
	it('stores a held off-plan day of today, its stop and its mutation, together', async () => {
		const db = await enrolledTablet();
		const day = await openOffPlanStop(
			db,
			{ insee: '23096', place: ' Parking de la mairie ', start: '11:00', end: '13:00' },
			NOW,
			UUID
		);

		expect(day).toEqual({
			id: `fs-1-hc-${UUID}@2026-03-10`,
			busId: 'fs-1',
			stopId: `fs-1-hc-${UUID}`,
			ruleId: null,
			date: '2026-03-10',
			start: '11:00',
			end: '13:00',
			status: 'held',
			reason: null,
			offPlan: true
		});
		expect(await db.serviceDays.get(day.id)).toEqual(day);
		expect(await db.stops.get(day.stopId)).toMatchObject({
			insee: '23096',
			commune: 'Guéret',
			postalCode: '23000',
			place: 'Parking de la mairie',
			latitude: 46.1,
			offPlan: true
		});
		const [entry] = await listPending(db, 10);
		expect(entry).toMatchObject({ kind: 'serviceDay.open', entityId: day.id, mutationId: 1 });
		expect(entry?.payload).toEqual({
			serviceDayId: day.id,
			busId: 'fs-1',
			date: '2026-03-10',
			start: '11:00',
			end: '13:00',
			insee: '23096',
			place: 'Parking de la mairie',
			at: NOW.toISOString()
		});
	});

	it('takes a report at once, queued after the opening (the server applies them in that order)', async () => {
		const db = await enrolledTablet();
		const day = await openOffPlanStop(
			db,
			{ insee: '23096', place: 'Parking', start: '11:00', end: '13:00' },
			NOW,
			UUID
		);
		await reportServiceDay(db, { serviceDayId: day.id, report: 'late', delayMinutes: 15 }, NOW);
		expect((await listPending(db, 10)).map((entry) => [entry.kind, entry.entityId])).toEqual([
			['serviceDay.open', day.id],
			['serviceDay.report', day.id]
		]);
		expect(await db.serviceDays.get(day.id)).toMatchObject({ status: 'held', offPlan: true });
	});

	it('opens the day at the bus’s stop of that commune and place when it has one', async () => {
		const db = await enrolledTablet();
		const day = await openOffPlanStop(
			db,
			{ insee: '23001', place: 'place du marche', start: '14:00', end: '16:00' },
			NOW,
			UUID
		);
		expect(day.stopId).toBe(makeStop().id);
		expect(await db.stops.count()).toBe(1);
	});

	it('dates the day by the bus’s zone: just after midnight in Paris is already the next day', async () => {
		const db = await enrolledTablet();
		const day = await openOffPlanStop(
			db,
			{ insee: '23096', place: 'Parking', start: '08:00', end: '09:00' },
			new Date('2026-03-10T23:30:00.000Z'),
			UUID
		);
		expect(day.date).toBe('2026-03-11');
	});

	it('refuses a commune not in the list, a place that hides a phone number and times backwards, writing nothing', async () => {
		const db = await enrolledTablet();
		const before = await counts(db);
		const attempts = [
			{ insee: '75056', place: 'Parking', start: '11:00', end: '13:00' },
			{ insee: '23096', place: 'Tel 0612345678', start: '11:00', end: '13:00' },
			{ insee: '23096', place: 'Parking', start: '13:00', end: '11:00' }
		];
		const paths: string[] = [];
		for (const input of attempts) {
			const error = await openOffPlanStop(db, input, NOW, UUID).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(InvalidRecordError);
			paths.push((error as InvalidRecordError).issues[0]?.path ?? '');
		}
		expect(paths).toEqual(['insee', 'place', 'end']);
		expect(await counts(db)).toEqual(before);
	});

	it('keeps nothing of the day when the disk is full', async () => {
		const db = await enrolledTablet();
		const before = await counts(db);
		failNextWrite('outbox', 'QuotaExceededError');
		await expect(
			openOffPlanStop(db, { insee: '23096', place: 'Parking', start: '11:00', end: '13:00' }, NOW, UUID)
		).rejects.toBeInstanceOf(StorageFullError);
		expect(await counts(db)).toEqual(before);
	});
});

describe('the communes the tablet holds', () => {
	it('finds them offline by name the way residents type it, or by postal code', async () => {
		const db = await enrolledTablet();
		expect((await searchHeldCommunes(db, 'gueret')).map((c) => c.name)).toEqual(['Guéret']);
		expect((await searchHeldCommunes(db, 'st vaury')).map((c) => c.name)).toEqual(['Saint-Vaury']);
		expect((await searchHeldCommunes(db, '23150')).map((c) => c.name)).toEqual(['Ahun']);
		expect(await searchHeldCommunes(db, 'x')).toEqual([]);
		expect(await findHeldCommune(db, '23096')).toEqual(GUERET);
	});

	it('keeps each département saved, even two saved at once', async () => {
		const db = openTestDb();
		await Promise.all([
			saveCommunes(db, '23', [AHUN]),
			saveCommunes(db, '36', [{ insee: '36063', name: 'Déols', postalCodes: ['36130'] }])
		]);
		expect((await findHeldCommune(db, '36063'))?.name).toBe('Déols');
		expect((await findHeldCommune(db, '23001'))?.name).toBe('Ahun');
	});
});
