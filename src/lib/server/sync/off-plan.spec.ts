import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { offPlanIds } from '$lib/domain/off-plan';
import { listOpenServiceDays, listOpenStops } from '../public/open-data';
import { readCommune } from '../schedule/places';
import { handlePull, handlePush } from './http';
import { A, B, enrollDevice, now, openFixtureStore, post } from '$factories/sync';
import { mutation, pushBody, visit } from '$factories/records';

/** An off-plan stop opened by bus A's crew on the fixture's day (2026-03-10, 10:00 in Paris). */
function opening(fields: Record<string, unknown> = {}, busId: string = A.bus) {
	const ids = offPlanIds(busId, randomUUID(), '2026-03-10');
	return {
		serviceDayId: ids.serviceDayId,
		busId,
		date: '2026-03-10',
		start: '13:30',
		end: '16:00',
		insee: '36063',
		place: 'Parking de la salle des fêtes',
		at: '2026-03-10T08:55:00.000Z',
		...fields
	};
}

async function setUp() {
	const store = await openFixtureStore();
	const device = await enrollDevice(store, A.bus);
	const send = async (mutations: unknown[], token = device.token) => {
		const response = await handlePush(store, post('push', pushBody(mutations), token), now);
		return (await response.json()) as {
			results: { mutationId: number; status: string; reason?: string; detail?: string }[];
		};
	};
	return { store, device, send };
}

describe('serviceDay.open', () => {
	it('opens a held off-plan day and its stop, and accepts the visits after it in the same push', async () => {
		const { store, send } = await setUp();
		const open = opening();
		const v1 = visit(A.bus, open.serviceDayId);
		const answer = await send([
			mutation(1, 'serviceDay.open', open.serviceDayId, open),
			mutation(2, 'visit.create', v1.id, v1)
		]);
		expect(answer.results.map((r) => r.status)).toEqual(['applied', 'applied']);

		const day = await store.serviceDays.get(open.serviceDayId);
		expect(day).toMatchObject({ busId: A.bus, date: '2026-03-10', start: '13:30', end: '16:00' });
		expect(day).toMatchObject({ status: 'held', ruleId: null, offPlan: true });
		const stop = await store.stops.get(day!.stopId);
		expect(stop).toMatchObject({
			busId: A.bus,
			insee: '36063',
			commune: 'Déols',
			postalCode: '36130',
			place: 'Parking de la salle des fêtes',
			offPlan: true
		});
		expect((await store.syncStats.countRows()).visits).toBe(1);
	});

	it('gives a commune with no other stop its public page, the day held and marked off-plan, and opens it in the open data', async () => {
		const { store, send } = await setUp();
		expect(await readCommune(store, '36063', now())).toBeNull();
		const open = opening();
		await send([mutation(1, 'serviceDay.open', open.serviceDayId, open)]);

		const commune = await readCommune(store, '36063', now());
		expect(commune).toMatchObject({ name: 'Déols', postalCode: '36130', slug: 'deols-36063' });
		expect(commune?.stops[0]?.days).toEqual([
			{
				id: open.serviceDayId,
				date: '2026-03-10',
				start: '13:30',
				end: '16:00',
				status: 'held',
				reason: null,
				offPlan: true
			}
		]);
		const { days } = await listOpenServiceDays(store, { from: '2026-03-10', to: '2026-03-10', busId: null });
		expect(days.find((day) => day.id === open.serviceDayId)).toMatchObject({ status: 'held', offPlan: true });
		expect(days.find((day) => day.id === A.days[0])).toMatchObject({ offPlan: false });
		const stops = await listOpenStops(store, 'https://escale.test', now());
		expect(stops.find((stop) => stop.insee === '36063')).toMatchObject({ offPlan: true });
	});

	it('reuses the bus’s stop of that commune and place, whatever the case and accents', async () => {
		const { store, send } = await setUp();
		const open = opening({ insee: '36044', place: 'PLACE DE LA MAIRIE' });
		const answer = await send([mutation(1, 'serviceDay.open', open.serviceDayId, open)]);
		expect(answer.results[0]?.status).toBe('applied');
		expect((await store.serviceDays.get(open.serviceDayId))?.stopId).toBe(A.stop);
		expect((await store.stops.get(A.stop))?.offPlan).toBeUndefined();
	});

	it('changes nothing when the same opening comes again under another id, and refuses another day under its id', async () => {
		const { store, send } = await setUp();
		const open = opening();
		await send([mutation(1, 'serviceDay.open', open.serviceDayId, open)]);
		const counts = await store.syncStats.countRows();
		const again = await send([mutation(2, 'serviceDay.open', open.serviceDayId, open)]);
		expect(again.results[0]?.status).toBe('applied');
		const other = { ...open, end: '17:00' };
		const conflict = await send([mutation(3, 'serviceDay.open', open.serviceDayId, other)]);
		expect(conflict.results[0]).toMatchObject({ status: 'rejected', reason: 'conflict' });
		expect((await store.serviceDays.get(open.serviceDayId))?.end).toBe('16:00');
		expect((await store.syncStats.countRows()).change_log).toBe(counts.change_log);
	});

	it('reaches the bus’s other tablets through the change log, marked off-plan', async () => {
		const { store, send } = await setUp();
		const other = await enrollDevice(store, A.bus);
		const open = opening();
		await send([mutation(1, 'serviceDay.open', open.serviceDayId, open)]);
		const response = await handlePull(store, post('pull', { protocol: 1, cursor: null }, other.token), now);
		const { changes } = (await response.json()) as {
			changes: { entity: string; id: string; data: Record<string, unknown> }[];
		};
		const day = changes.find((change) => change.id === open.serviceDayId);
		expect(day?.data).toMatchObject({ status: 'held', offPlan: true });
		const stop = changes.find((change) => change.entity === 'stop' && change.id === day?.data.stopId);
		expect(stop?.data).toMatchObject({ commune: 'Déols', offPlan: true });
		const planned = changes.find((change) => change.id === A.days[0]);
		expect(planned?.data).not.toHaveProperty('offPlan');
	});

	it('refuses a day that is not the device’s today, a commune not in the list, and bad times', async () => {
		const { store, send } = await setUp();
		const lateDate = opening({ date: '2026-03-12' });
		lateDate.serviceDayId = lateDate.serviceDayId.replace('2026-03-10', '2026-03-12');
		const unknown = opening({ insee: '36999' });
		const backwards = opening({ start: '16:00', end: '13:30' });
		const answer = await send([
			mutation(1, 'serviceDay.open', lateDate.serviceDayId, lateDate),
			mutation(2, 'serviceDay.open', unknown.serviceDayId, unknown),
			mutation(3, 'serviceDay.open', backwards.serviceDayId, backwards)
		]);
		expect(answer.results).toEqual([
			expect.objectContaining({
				status: 'rejected',
				reason: 'invalid_payload',
				detail: expect.stringMatching(/^date/)
			}),
			expect.objectContaining({
				status: 'rejected',
				reason: 'not_found',
				detail: expect.stringMatching(/^insee/)
			}),
			expect.objectContaining({
				status: 'rejected',
				reason: 'invalid_payload',
				detail: expect.stringMatching(/^end/)
			})
		]);
		for (const open of [lateDate, unknown, backwards])
			expect(await store.serviceDays.get(open.serviceDayId)).toBeNull();
	});

	it('accepts a day opened offline and sent days later, dated by when it was opened', async () => {
		const { store, send } = await setUp();
		const open = opening({ date: '2026-03-06', at: '2026-03-06T12:00:00.000Z' });
		open.serviceDayId = open.serviceDayId.replace('2026-03-10', '2026-03-06');
		const answer = await send([mutation(1, 'serviceDay.open', open.serviceDayId, open)]);
		expect(answer.results[0]?.status).toBe('applied');
		expect((await store.serviceDays.get(open.serviceDayId))?.date).toBe('2026-03-06');
	});

	it('refuses another bus’s day and a place that could hide a phone number', async () => {
		const { store, send } = await setUp();
		const ofB = opening({}, B.bus);
		const phone = opening({ place: 'Appeler 06 12 34 56 78' });
		const answer = await send([
			mutation(1, 'serviceDay.open', ofB.serviceDayId, ofB),
			mutation(2, 'serviceDay.open', phone.serviceDayId, phone)
		]);
		expect(answer.results.map((r) => r.reason)).toEqual(['not_found', 'invalid_payload']);
		expect(answer.results[1]?.detail).toMatch(/^place/);
		expect(await store.serviceDays.get(ofB.serviceDayId)).toBeNull();
	});
});
