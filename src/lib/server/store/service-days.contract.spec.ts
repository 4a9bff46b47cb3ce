/**
 * The service day repository, one contract for both engines (issue 12, item 1): the same assertions on the
 * SQLite store and on the PostgreSQL adapter, each on a database of its own. The change log is read too: a
 * regeneration that changes nothing must log nothing, since every logged change is pulled by tablets.
 */
import type { ServiceDay, Stop } from '$lib/domain/schedule';
import { afterEach, describe, expect, it } from 'vitest';
import { makeBus } from '$factories/bus';
import { openPostgresEngine, openSqliteEngine } from '$factories/engines';
import { makeServiceDay, makeStop } from '$factories/schedule';
import { createPgBusRepository } from './postgres/buses';
import { createPgChangeLogRepository } from './postgres/change-log';
import { createPgServiceDayRepository } from './postgres/service-days';
import { createPgStopRepository } from './postgres/stops';
import type { ServiceDayRepository } from './store';
import type { ChangeLogRepository } from './sync-store';

interface Opened {
	serviceDays: ServiceDayRepository;
	changeLog: ChangeLogRepository;
	close(): Promise<void>;
}

const now = () => '2026-12-01T09:00:00.000Z';

const stop = (overrides: Partial<Stop> = {}): Stop =>
	makeStop({ id: 'fs-47-monthois', busId: 'fs-47', insee: '08303', commune: 'Monthois', ...overrides });
const SCHEDULE = {
	buses: [makeBus({ id: 'fs-47' }), makeBus({ id: 'fs-48' })],
	stops: [stop(), stop({ id: 'fs-48-stop', busId: 'fs-48', commune: 'Attigny', place: 'Halle' })]
};

const ENGINES: Record<string, () => Promise<Opened>> = {
	sqlite: async () => {
		const { store, close } = await openSqliteEngine();
		try {
			await store.buses.upsertMany(SCHEDULE.buses);
			await store.stops.upsertMany(SCHEDULE.stops);
		} catch (error) {
			await close();
			throw error;
		}
		return { serviceDays: store.serviceDays, changeLog: store.changeLog, close };
	},
	postgres: async () => {
		const { scope, close } = await openPostgresEngine();
		try {
			await createPgBusRepository(scope, now).upsertMany(SCHEDULE.buses);
			await createPgStopRepository(scope, now).upsertMany(SCHEDULE.stops);
		} catch (error) {
			await close();
			throw error;
		}
		return {
			serviceDays: createPgServiceDayRepository(scope, now),
			changeLog: createPgChangeLogRepository(scope),
			close
		};
	}
};

const day = (date: string, overrides: Partial<ServiceDay> = {}): ServiceDay =>
	makeServiceDay({
		id: `fs-47-mon-am@${date}`,
		busId: 'fs-47',
		stopId: 'fs-47-monthois',
		ruleId: 'fs-47-mon-am',
		date,
		...overrides
	});

const EDITED_AT = '2026-12-01T10:00:00.000Z';

let opened: Opened | null = null;
afterEach(async () => {
	await opened?.close();
	opened = null;
});

describe.each(Object.entries(ENGINES))('the service day repository on %s', (_engine, open) => {
	it('lists service days of a bus within an inclusive date range, in date order', async () => {
		const { serviceDays } = (opened = await open());
		await serviceDays.upsertGenerated([day('2026-12-14'), day('2026-12-07'), day('2026-12-21')]);

		const days = await serviceDays.listByBus('fs-47', { from: '2026-12-07', to: '2026-12-14' });
		expect(days.map((d) => d.date)).toEqual(['2026-12-07', '2026-12-14']);
		expect(days[0]).toEqual({ ...day('2026-12-07'), revision: 1, editedAt: null });
		expect(days[0]).not.toHaveProperty('offPlan');
		expect(await serviceDays.listByBus('fs-48', { from: '2026-12-01', to: '2026-12-31' })).toEqual([]);
		expect((await serviceDays.listByStop('fs-47-monthois')).map((d) => d.date)).toEqual([
			'2026-12-07',
			'2026-12-14',
			'2026-12-21'
		]);
		expect(await serviceDays.listByStop('fs-47-monthois', { from: '2026-12-20', to: '2026-12-31' })).toEqual([
			{ ...day('2026-12-21'), revision: 1, editedAt: null }
		]);
		expect(await serviceDays.get('none')).toBeNull();
	});

	it('lists the days of several stops within a range in one read, by date then start time', async () => {
		const { serviceDays } = (opened = await open());
		await serviceDays.upsertGenerated([
			day('2026-12-14'),
			day('2026-12-07'),
			day('2026-12-07', {
				id: 'early@2026-12-07',
				busId: 'fs-48',
				stopId: 'fs-48-stop',
				start: '08:00',
				end: '09:00'
			}),
			day('2027-01-04')
		]);
		const december = { from: '2026-12-07', to: '2026-12-31' };
		expect((await serviceDays.listByStops(['fs-48-stop'], december)).map((d) => d.id)).toEqual([
			'early@2026-12-07'
		]);
		const listed = await serviceDays.listByStops(['fs-47-monthois', 'fs-48-stop', 'nowhere'], {
			from: '2026-12-07',
			to: '2026-12-31'
		});
		expect(listed.map((d) => d.id)).toEqual([
			'early@2026-12-07',
			'fs-47-mon-am@2026-12-07',
			'fs-47-mon-am@2026-12-14'
		]);
		expect(listed[1]).toEqual({ ...day('2026-12-07'), revision: 1, editedAt: null });
		expect(await serviceDays.listByStops([], { from: '2026-12-01', to: '2026-12-31' })).toEqual([]);
	});

	it('lists the days of every bus within a range, by date, start time then id in byte order, up to a limit', async () => {
		const { serviceDays } = (opened = await open());
		await serviceDays.upsertGenerated([
			day('2026-12-14'),
			day('2026-12-07', { id: 'late@2026-12-07', start: '14:00', end: '16:30' }),
			day('2026-12-07'),
			day('2026-12-07', { id: 'Z@2026-12-07', busId: 'fs-48', stopId: 'fs-48-stop' }),
			day('2027-01-04')
		]);

		const days = await serviceDays.listBetween({ from: '2026-12-01', to: '2026-12-31' }, 3);
		expect(days.map((d) => `${d.date} ${d.start} ${d.id}`)).toEqual([
			'2026-12-07 09:00 Z@2026-12-07',
			'2026-12-07 09:00 fs-47-mon-am@2026-12-07',
			'2026-12-07 14:00 late@2026-12-07'
		]);
		expect(await serviceDays.listBetween({ from: '2026-12-01', to: '2026-12-31' }, 10)).toHaveLength(4);
	});

	it('stores generated days once however often they are generated again, logging nothing the second time', async () => {
		const { serviceDays, changeLog } = (opened = await open());
		const days = [day('2026-12-07'), day('2026-12-14')];

		expect(await serviceDays.upsertGenerated(days)).toEqual({ inserted: 2, updated: 0, keptEdited: 0 });
		const before = await changeLog.lastSeq();
		expect(await serviceDays.upsertGenerated(days)).toEqual({ inserted: 0, updated: 0, keptEdited: 0 });
		expect(await serviceDays.upsertGenerated([])).toEqual({ inserted: 0, updated: 0, keptEdited: 0 });
		expect(await changeLog.lastSeq()).toBe(before);
		expect(await serviceDays.get(day('2026-12-07').id)).toMatchObject({ revision: 1 });
	});

	it('follows a changed rule on unedited days but never overwrites a day a coordinator edited', async () => {
		const { serviceDays, changeLog } = (opened = await open());
		await serviceDays.upsertGenerated([day('2026-12-07'), day('2026-12-14')]);
		const cancelled = { ...day('2026-12-14'), status: 'cancelled' as const, reason: 'Bus au garage' };
		const beforeEdit = await changeLog.lastSeq();
		const edited = await serviceDays.edit(cancelled, EDITED_AT);
		expect(edited).toEqual({ ...cancelled, revision: 2, editedAt: EDITED_AT });
		expect(await changeLog.listForBus('fs-47', beforeEdit, 10)).toMatchObject([
			{ entity: 'serviceDay', id: cancelled.id, data: cancelled }
		]);

		const later = { start: '09:30', end: '12:00' };
		const beforeRegeneration = await changeLog.lastSeq();
		const result = await serviceDays.upsertGenerated([
			day('2026-12-07', later),
			day('2026-12-14', later),
			day('2026-12-21', later)
		]);

		expect(result).toEqual({ inserted: 1, updated: 1, keptEdited: 1 });
		expect(await serviceDays.get(day('2026-12-07').id)).toEqual({
			...day('2026-12-07', later),
			revision: 2,
			editedAt: null
		});
		expect(await serviceDays.get(day('2026-12-14').id)).toEqual({
			...cancelled,
			revision: 2,
			editedAt: EDITED_AT
		});
		const logged = await changeLog.listForBus('fs-47', beforeRegeneration, 10);
		expect(logged.map((change) => change.id).sort()).toEqual([day('2026-12-07').id, day('2026-12-21').id]);
	});

	it('answers null when editing a day that does not exist', async () => {
		const { serviceDays } = (opened = await open());
		expect(await serviceDays.edit(day('2026-12-07'), EDITED_AT)).toBeNull();
	});

	it('rejects a service day whose window ends before it starts, and keeps none of its batch', async () => {
		const { serviceDays } = (opened = await open());
		await expect(
			serviceDays.upsertGenerated([day('2026-12-14'), day('2026-12-07', { start: '12:00', end: '09:00' })])
		).rejects.toThrow(/check constraint/i);
		expect(await serviceDays.listByStop('fs-47-monthois')).toEqual([]);
	});

	it('writes a day given twice in one batch twice, as a loop would: the last copy wins, a revision more', async () => {
		const { serviceDays, changeLog } = (opened = await open());
		const before = await changeLog.lastSeq();
		expect(
			await serviceDays.upsertGenerated([
				day('2026-12-07', { reason: 'first' }),
				day('2026-12-14'),
				day('2026-12-07', { reason: 'last' }),
				day('2026-12-14')
			])
		).toEqual({ inserted: 2, updated: 1, keptEdited: 0 });
		expect(await serviceDays.get(day('2026-12-07').id)).toEqual({
			...day('2026-12-07', { reason: 'last' }),
			revision: 2,
			editedAt: null
		});
		expect(await changeLog.listForBus('fs-47', before, 10)).toHaveLength(3);
	});

	it('stores an off-plan day once, and lists off-plan days with their stop, newest first, up to a limit', async () => {
		const { serviceDays, changeLog } = (opened = await open());
		const open1 = day('2026-12-08', { id: 'open-1', ruleId: null, status: 'held' });
		const open2 = day('2026-12-09', {
			id: 'open-2',
			ruleId: null,
			status: 'held',
			start: '08:00',
			end: '10:00'
		});
		const open3 = day('2026-12-09', {
			id: 'open-3',
			busId: 'fs-48',
			stopId: 'fs-48-stop',
			ruleId: null,
			status: 'held',
			start: '13:00',
			end: '15:00'
		});
		await serviceDays.upsertGenerated([day('2026-12-08')]);
		for (const offPlan of [open1, open2, open3]) await serviceDays.insertOffPlan(offPlan, EDITED_AT);
		await expect(serviceDays.insertOffPlan(open1, EDITED_AT)).rejects.toThrow(/unique/i);

		expect(await serviceDays.get('open-1')).toEqual({ ...open1, revision: 1, editedAt: null, offPlan: true });
		expect(await changeLog.listForBus('fs-48', 0, 10)).toMatchObject([
			{ entity: 'bus' },
			{ entity: 'stop' },
			{ entity: 'serviceDay', id: 'open-3', data: { ...open3, offPlan: true } }
		]);

		const listed = await serviceDays.listOffPlan({ from: '2026-12-01', to: '2026-12-31' }, 10);
		expect(listed.map((d) => d.id)).toEqual(['open-3', 'open-2', 'open-1']);
		expect(listed[0]).toEqual({
			...open3,
			revision: 1,
			editedAt: null,
			offPlan: true,
			stop: {
				id: 'fs-48-stop',
				insee: '08303',
				commune: 'Attigny',
				postalCode: SCHEDULE.stops[1]?.postalCode,
				place: 'Halle'
			}
		});
		expect(
			(await serviceDays.listOffPlan({ from: '2026-12-09', to: '2026-12-31' }, 1)).map((d) => d.id)
		).toEqual(['open-3']);
	});

	it('counts each bus’s days and cancelled days within its own range, in one read', async () => {
		const { serviceDays } = (opened = await open());
		await serviceDays.upsertGenerated([
			day('2026-12-07'),
			day('2026-12-14', { status: 'cancelled', reason: 'Panne' }),
			day('2026-12-21', { status: 'cancelled', reason: 'Congés' }),
			day('2026-12-07', { id: 'fs-48@2026-12-07', busId: 'fs-48', stopId: 'fs-48-stop' })
		]);
		expect(
			await serviceDays.countByBus([
				{ busId: 'fs-47', range: { from: '2026-12-07', to: '2026-12-14' } },
				{ busId: 'fs-48', range: { from: '2026-12-08', to: '2026-12-31' } },
				{ busId: 'fs-0', range: { from: '2026-12-01', to: '2026-12-31' } }
			])
		).toEqual(new Map([['fs-47', { days: 2, cancelled: 1 }]]));
		expect(
			await serviceDays.countByBus([{ busId: 'fs-48', range: { from: '2026-12-07', to: '2026-12-07' } }])
		).toEqual(new Map([['fs-48', { days: 1, cancelled: 0 }]]));
		expect(await serviceDays.countByBus([])).toEqual(new Map());
	});
});
