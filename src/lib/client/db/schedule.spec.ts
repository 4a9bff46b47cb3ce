import { describe, expect, it } from 'vitest';
import type { Bus, ServiceDay, Stop } from '$lib/domain/schedule';
import { getBus, listServiceDays, listStops, replaceSchedule } from './schedule';
import { openTestDb } from './testing';
import { makeBus } from '$factories/bus';
import { makeServiceDay, makeStop } from '$factories/schedule';

const bus = (id: string): Bus => makeBus({ id, anctId: id.replace('fs-', '') });

function stop(id: string, busId: string, commune: string): Stop {
	return makeStop({
		id,
		busId,
		insee: '36001',
		commune,
		postalCode: '36100',
		place: 'Place de la mairie',
		latitude: 46.9,
		longitude: 1.7
	});
}

function day(id: string, busId: string, date: string, start = '09:00'): ServiceDay {
	return makeServiceDay({ id, busId, stopId: 's-1', ruleId: null, date, start });
}

describe('schedule repository', () => {
	it("lists a bus's service days between two dates, both included, in the order they happen", async () => {
		const db = openTestDb();
		await replaceSchedule(db, {
			bus: bus('fs-1'),
			stops: [stop('s-1', 'fs-1', 'Ardentes')],
			serviceDays: [
				day('d-4', 'fs-1', '2026-03-10'),
				day('d-2', 'fs-1', '2026-03-03', '14:00'),
				day('d-1', 'fs-1', '2026-03-03', '09:00'),
				day('d-0', 'fs-1', '2026-03-02'),
				day('d-3', 'fs-1', '2026-03-05')
			]
		});
		await replaceSchedule(db, {
			bus: bus('fs-2'),
			stops: [],
			serviceDays: [day('x-1', 'fs-2', '2026-03-04')]
		});

		const days = await listServiceDays(db, 'fs-1', '2026-03-03', '2026-03-05');
		expect(days.map((d) => d.id)).toEqual(['d-1', 'd-2', 'd-3']);
	});

	it("replaces a bus's schedule whole, leaving other buses alone", async () => {
		const db = openTestDb();
		await replaceSchedule(db, {
			bus: bus('fs-1'),
			stops: [stop('s-1', 'fs-1', 'Ardentes'), stop('s-2', 'fs-1', 'Buzançais')],
			serviceDays: [day('d-1', 'fs-1', '2026-03-02'), day('d-2', 'fs-1', '2026-03-09')]
		});
		await replaceSchedule(db, {
			bus: bus('fs-2'),
			stops: [stop('t-1', 'fs-2', 'Issoudun')],
			serviceDays: []
		});

		const moved = { ...day('d-2', 'fs-1', '2026-03-09'), status: 'moved' as const, reason: 'Travaux' };
		await replaceSchedule(db, {
			bus: bus('fs-1'),
			stops: [stop('s-2', 'fs-1', 'Buzançais')],
			serviceDays: [moved]
		});

		expect(await listServiceDays(db, 'fs-1', '2026-01-01', '2026-12-31')).toEqual([moved]);
		expect((await listStops(db, 'fs-1')).map((s) => s.id)).toEqual(['s-2']);
		expect((await listStops(db, 'fs-2')).map((s) => s.id)).toEqual(['t-1']);
		expect(await getBus(db, 'fs-2')).toMatchObject({ id: 'fs-2' });
	});

	it('refuses rows of another bus before writing anything', async () => {
		const db = openTestDb();
		const wrong = { bus: bus('fs-1'), stops: [], serviceDays: [day('x-1', 'fs-2', '2026-03-04')] };
		await expect(replaceSchedule(db, wrong)).rejects.toThrow(/another bus/);
		expect(await db.buses.count()).toBe(0);
	});

	it('writes nothing when the disk is full halfway through', async () => {
		const { failNextWrite } = await import('./testing');
		const { StorageFullError } = await import('./errors');
		const db = openTestDb();
		failNextWrite('serviceDays', 'QuotaExceededError');
		const schedule = {
			bus: bus('fs-1'),
			stops: [stop('s-1', 'fs-1', 'Ardentes')],
			serviceDays: [day('d-1', 'fs-1', '2026-03-02')]
		};
		await expect(replaceSchedule(db, schedule)).rejects.toBeInstanceOf(StorageFullError);
		expect([await db.buses.count(), await db.stops.count(), await db.serviceDays.count()]).toEqual([0, 0, 0]);
	});

	it('lists stops by commune name in French order', async () => {
		const db = openTestDb();
		const stops = [
			stop('a', 'fs-1', 'Écueillé'),
			stop('b', 'fs-1', 'Buzançais'),
			stop('c', 'fs-1', 'Ardentes')
		];
		await replaceSchedule(db, { bus: bus('fs-1'), stops, serviceDays: [] });
		expect((await listStops(db, 'fs-1')).map((s) => s.commune)).toEqual([
			'Ardentes',
			'Buzançais',
			'Écueillé'
		]);
	});
});
