/**
 * What a refused mutation tells the tablet and what the server keeps of it: one answer for "not yours" and
 * "does not exist", and only identifiers that were checked, so nothing a crew typed in the wrong field is
 * stored or shown to coordinators.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../store/store';
import { handlePush } from './http';
import { A, B, enrollDevice, now, openFixtureStore, post } from '$factories/sync';
import { mutation, pushBody, referral, visit } from '$factories/records';

type Result = { mutationId: number; status: string; reason?: string; detail?: string };

async function twoBuses() {
	const store = await openFixtureStore();
	const a = await enrollDevice(store, A.bus);
	const b = await enrollDevice(store, B.bus);
	const send = async (token: string, mutations: unknown[]) => {
		const response = await handlePush(store, post('push', pushBody(mutations), token), now);
		expect(response.status).toBe(200);
		return (await response.json()) as { results: Result[] };
	};
	return { store, a, b, send };
}

const answerOf = ({ reason, detail }: Result) => ({ reason, detail });

describe('a record of another bus', () => {
	it('gets the very answer of a record that does not exist, whatever the kind', async () => {
		const { a, b, send } = await twoBuses();
		const visitOfB = visit(B.bus, B.days[0]);
		const referralOfB = referral(B.bus, visitOfB.id);
		await send(b.token, [
			mutation(1, 'visit.create', visitOfB.id, visitOfB),
			mutation(2, 'referral.create', referralOfB.id, referralOfB)
		]);
		const unknownDay = 'fs-101-nulle-part@2026-03-10';
		const unknownId = '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
		const report = (day: string) => ({ serviceDayId: day, report: 'held', at: '2026-03-10T09:00:00.000Z' });
		const move = (id: string) => ({ referralId: id, status: 'transmitted', at: '2026-03-10T09:00:00.000Z' });
		const [onDayOfB, onNoDay] = [visit(A.bus, B.days[0]), visit(A.bus, unknownDay)];
		const [forB, forNone] = [referral(A.bus, visitOfB.id), referral(A.bus, unknownId)];

		const { results } = await send(a.token, [
			mutation(1, 'visit.create', onDayOfB.id, onDayOfB),
			mutation(2, 'visit.create', onNoDay.id, onNoDay),
			mutation(3, 'serviceDay.report', B.days[0], report(B.days[0])),
			mutation(4, 'serviceDay.report', unknownDay, report(unknownDay)),
			mutation(5, 'referral.status', referralOfB.id, move(referralOfB.id)),
			mutation(6, 'referral.status', unknownId, move(unknownId)),
			mutation(7, 'referral.create', forB.id, forB),
			mutation(8, 'referral.create', forNone.id, forNone)
		]);

		expect(results.map((result) => result.reason)).toEqual(Array(8).fill('not_found'));
		for (let pair = 0; pair < results.length; pair += 2) {
			expect(answerOf(results[pair]!)).toEqual(answerOf(results[pair + 1]!));
		}
	});
});

/** Values a crew member might type in the wrong field. */
const PERSONAL = ['Dupont', '0612345678', 'jean.dupont@mail.fr', '185057800608436'];

async function storedText(store: Store): Promise<string> {
	return JSON.stringify(await store.syncRecords.listRejections(A.bus, 100));
}

describe('a refused mutation', () => {
	it('is stored with the identifiers that were checked only: no name, phone, e-mail or NIR', async () => {
		const { store, a, send } = await twoBuses();
		const good = visit(A.bus, A.days[0]);
		const onNamedDay = visit(A.bus, 'fs-101-dupont@2026-03-10');
		const report = {
			serviceDayId: 'fs-101-dupont@2026-03-10',
			report: 'held',
			at: '2026-03-10T09:00:00.000Z'
		};
		const { results } = await send(a.token, [
			mutation(1, 'dupont', 'jean.dupont@mail.fr', { nir: '185057800608436' }),
			mutation(2, 'visit.create', '0612345678', good),
			mutation(3, 'visit.create', good.id, { ...good, busId: '185057800608436' }),
			mutation(4, 'visit.create', good.id, { ...good, serviceDayId: '0612345678' }),
			mutation(5, 'visit.create', onNamedDay.id, onNamedDay),
			mutation(6, 'serviceDay.report', 'fs-101-dupont@2026-03-10', report),
			mutation(7, 'visit.create', good.id, { ...good, 'Jean Dupont': '0612345678' })
		]);

		expect(results.map((result) => result.reason)).toEqual([
			'unknown_kind',
			'entity_mismatch',
			'invalid_payload',
			'invalid_payload',
			'not_found',
			'not_found',
			'invalid_payload'
		]);
		const kept = await store.syncRecords.listRejections(A.bus, 100);
		expect(
			kept.map(({ mutationId, kind, entityId, payload }) => ({ mutationId, kind, entityId, payload }))
		).toEqual([
			{ mutationId: 7, kind: 'visit.create', entityId: good.id, payload: 'null' },
			{ mutationId: 6, kind: 'serviceDay.report', entityId: null, payload: 'null' },
			{ mutationId: 5, kind: 'visit.create', entityId: onNamedDay.id, payload: 'null' },
			{ mutationId: 4, kind: 'visit.create', entityId: good.id, payload: 'null' },
			{ mutationId: 3, kind: 'visit.create', entityId: good.id, payload: 'null' },
			{ mutationId: 2, kind: 'visit.create', entityId: null, payload: 'null' },
			{ mutationId: 1, kind: null, entityId: null, payload: 'null' }
		]);
		const text = (await storedText(store)) + JSON.stringify(results);
		for (const value of [...PERSONAL, 'dupont', 'Jean']) expect(text).not.toContain(value);
	});

	it('keeps its payload when every identifier in it was checked', async () => {
		const { store, a, send } = await twoBuses();
		const record = visit(A.bus, A.days[0]);
		await send(a.token, [
			mutation(1, 'visit.create', record.id, record),
			mutation(2, 'visit.create', record.id, { ...record, channel: 'phone' })
		]);
		const [conflict] = await store.syncRecords.listRejections(A.bus, 10);
		expect(conflict).toMatchObject({ kind: 'visit.create', entityId: record.id, reason: 'conflict' });
		expect(JSON.parse(conflict?.payload ?? 'null')).toMatchObject({ id: record.id, serviceDayId: A.days[0] });
	});
});
