/**
 * `visit.withdraw` through the real push handler and an in-memory store: applied once, replayed harmlessly,
 * refused for a visit the device's bus does not have, kept beside the visit (the trace), and left out of
 * every count of visits, a corrected-then-withdrawn check-in included.
 */
import { describe, expect, it } from 'vitest';
import { readCoordinationOverview } from '../coordination/overview';
import { handlePush } from './http';
import { A, B, enrollDevice, now, openFixtureStore, post } from '$factories/sync';
import { mutation, pushBody, visit } from '$factories/records';

const AT = '2026-03-10T09:30:00.000Z';
const withdrawal = (visitId: string, at = AT) => ({ visitId, at });

async function setUp() {
	const store = await openFixtureStore();
	const device = await enrollDevice(store, A.bus);
	const send = async (mutations: unknown[], token = device.token) => {
		const response = await handlePush(store, post('push', pushBody(mutations), token), now);
		const body = (await response.json()) as {
			results: { mutationId: number; status: string; reason?: string; detail?: string }[];
		};
		return body.results;
	};
	const counted = async () => (await store.syncRecords.countVisitsByBus([A.bus, B.bus])).get(A.bus) ?? 0;
	return { store, device, send, counted };
}

const outcomes = (results: { status: string; reason?: string }[]) =>
	results.map((result) => result.reason ?? result.status);

describe('push: visit.withdraw', () => {
	it('withdraws a visit sent in the same push before it: the visit leaves the count, both records stay', async () => {
		const { store, send, counted } = await setUp();
		const kept = visit(A.bus, A.days[0]);
		const mistaken = visit(A.bus, A.days[0]);

		const results = await send([
			mutation(1, 'visit.create', kept.id, kept),
			mutation(2, 'visit.create', mistaken.id, mistaken),
			mutation(3, 'visit.withdraw', mistaken.id, withdrawal(mistaken.id))
		]);

		expect(outcomes(results)).toEqual(['applied', 'applied', 'applied']);
		expect(await counted()).toBe(1);
		const rows = await store.syncStats.countRows();
		expect(rows.visits).toBe(2);
		expect(rows.visit_withdrawals).toBe(1);
		expect(await store.syncRecords.getVisitStanding(mistaken.id)).toEqual({
			busId: A.bus,
			replaced: false,
			withdrawalJson: JSON.stringify(withdrawal(mistaken.id))
		});
	});

	it('answers a replay as a duplicate, and the same withdrawal under a new id as applied, writing nothing', async () => {
		const { store, send, counted } = await setUp();
		const mistaken = visit(A.bus, A.days[0]);
		const batch = [
			mutation(1, 'visit.create', mistaken.id, mistaken),
			mutation(2, 'visit.withdraw', mistaken.id, withdrawal(mistaken.id))
		];
		await send(batch);
		const rows = await store.syncStats.countRows();

		expect(outcomes(await send(batch))).toEqual(['duplicate', 'duplicate']);
		// Renumbered after id_reused, or a second withdrawal of a withdrawn visit: nothing changes.
		expect(
			outcomes(
				await send([
					mutation(3, 'visit.withdraw', mistaken.id, withdrawal(mistaken.id)),
					mutation(4, 'visit.withdraw', mistaken.id, withdrawal(mistaken.id, '2026-03-10T09:45:00.000Z'))
				])
			)
		).toEqual(['applied', 'applied']);
		const after = await store.syncStats.countRows();
		expect([after.visits, after.visit_withdrawals, after.rejected_mutations]).toEqual([
			rows.visits,
			rows.visit_withdrawals,
			rows.rejected_mutations
		]);
		expect(await counted()).toBe(0);
	});

	it('rejects, records and acknowledges a withdrawal of an unknown visit or of a visit of another bus', async () => {
		const { store, send } = await setUp();
		const other = await enrollDevice(store, B.bus);
		const ofB = visit(B.bus, B.days[0]);
		await send([mutation(1, 'visit.create', ofB.id, ofB)], other.token);
		const unknown = crypto.randomUUID();

		const results = await send([
			mutation(1, 'visit.withdraw', ofB.id, withdrawal(ofB.id)),
			mutation(2, 'visit.withdraw', unknown, withdrawal(unknown))
		]);

		expect(outcomes(results)).toEqual(['not_found', 'not_found']);
		// The same words for both: a tablet learns nothing of other buses.
		expect(results[0]?.detail).toBe(results[1]?.detail);
		expect((await store.syncStats.countRows()).visit_withdrawals).toBe(0);
		expect((await store.syncRecords.countVisitsByBus([B.bus])).get(B.bus)).toBe(1);
		const rejections = await store.syncRecords.listRejections(A.bus, 10);
		expect(rejections.map((r) => [r.mutationId, r.kind, r.reason])).toEqual([
			[2, 'visit.withdraw', 'not_found'],
			[1, 'visit.withdraw', 'not_found']
		]);
	});

	it('rejects a withdrawal whose entityId is not its visit, and one of a visit a correction replaced', async () => {
		const { send, counted } = await setUp();
		const original = visit(A.bus, A.days[0]);
		const correction = { ...visit(A.bus, A.days[0]), correctionOf: original.id };

		const results = await send([
			mutation(1, 'visit.create', original.id, original),
			mutation(2, 'visit.create', correction.id, correction),
			mutation(3, 'visit.withdraw', correction.id, withdrawal(original.id)),
			mutation(4, 'visit.withdraw', original.id, withdrawal(original.id))
		]);

		expect(outcomes(results)).toEqual(['applied', 'applied', 'entity_mismatch', 'conflict']);
		expect(results[3]?.detail).toBe('visitId : visite déjà corrigée, annuler plutôt sa dernière correction');
		expect(await counted()).toBe(1);
	});

	it('refuses a correction of a withdrawn visit, in the same push or a later one', async () => {
		const { send, counted } = await setUp();
		const original = visit(A.bus, A.days[0]);
		const itsCorrection = { ...visit(A.bus, A.days[0]), correctionOf: original.id };
		const other = visit(A.bus, A.days[0]);
		const lateCorrection = { ...visit(A.bus, A.days[0]), correctionOf: itsCorrection.id };
		const sameBatch = { ...visit(A.bus, A.days[0]), correctionOf: other.id };

		expect(
			outcomes(
				await send([
					mutation(1, 'visit.create', original.id, original),
					mutation(2, 'visit.create', itsCorrection.id, itsCorrection),
					mutation(3, 'visit.withdraw', itsCorrection.id, withdrawal(itsCorrection.id)),
					mutation(4, 'visit.create', other.id, other),
					mutation(5, 'visit.withdraw', other.id, withdrawal(other.id)),
					mutation(6, 'visit.create', sameBatch.id, sameBatch)
				])
			)
		).toEqual(['applied', 'applied', 'applied', 'applied', 'applied', 'conflict']);
		const later = await send([mutation(7, 'visit.create', lateCorrection.id, lateCorrection)]);
		expect(outcomes(later)).toEqual(['conflict']);
		expect(later[0]?.detail).toBe('correctionOf : visite annulée, elle ne peut plus être corrigée');
		expect(await counted()).toBe(0);
	});

	it('counts a corrected check-in once, and a corrected-then-withdrawn one not at all', async () => {
		const { send, counted } = await setUp();
		const corrected = visit(A.bus, A.days[0]);
		const itsCorrection = { ...visit(A.bus, A.days[0]), correctionOf: corrected.id };
		const withdrawn = visit(A.bus, A.days[1]);
		const withdrawnCorrection = { ...visit(A.bus, A.days[1]), correctionOf: withdrawn.id };
		const plain = visit(A.bus, A.days[1]);

		await send([
			mutation(1, 'visit.create', corrected.id, corrected),
			mutation(2, 'visit.create', itsCorrection.id, itsCorrection),
			mutation(3, 'visit.create', withdrawn.id, withdrawn),
			mutation(4, 'visit.create', withdrawnCorrection.id, withdrawnCorrection),
			mutation(5, 'visit.create', plain.id, plain)
		]);
		expect(await counted()).toBe(3);

		expect(
			outcomes(
				await send([
					mutation(6, 'visit.withdraw', withdrawnCorrection.id, withdrawal(withdrawnCorrection.id))
				])
			)
		).toEqual(['applied']);
		expect(await counted()).toBe(2);
	});

	it("shows the coordination each bus's check-ins without the withdrawn ones", async () => {
		const { store, send } = await setUp();
		const v1 = visit(A.bus, A.days[0]);
		const v2 = visit(A.bus, A.days[0]);
		await send([
			mutation(1, 'visit.create', v1.id, v1),
			mutation(2, 'visit.create', v2.id, v2),
			mutation(3, 'visit.withdraw', v2.id, withdrawal(v2.id))
		]);
		// The coordination lists the buses that have a circuit: give bus A one.
		await store.circuits.upsertMany([{ id: `${A.bus}-circuit`, busId: A.bus, name: 'Tournée', rules: [] }]);

		const overview = await readCoordinationOverview(store, { all: true }, [], now());
		expect(overview.planned).toEqual([expect.objectContaining({ id: A.bus, visits: 1 })]);
	});
});
