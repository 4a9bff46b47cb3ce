import { describe, expect, it } from 'vitest';
import type { Bus, ServiceDay, Stop } from '$lib/domain/schedule';
import { makeBus } from '$factories/bus';
import { CHATEAUROUX, makeServiceDay, makeStop } from '$factories/schedule';
import { openTestDatabase, openTestStore, seedSchedule } from '$factories/store';
import { LAST_SEQ_SQL, LIST_FOR_BUS_SQL } from './change-log';
import { applyMigrations } from './migrate';
import { migrations } from './migrations';

const bus: Bus = makeBus({ id: 'bus-1', name: 'Bus 1', takesAppointments: true });
const stop: Stop = makeStop({ id: 'stop-1', busId: 'bus-1', ...CHATEAUROUX, place: 'Mairie' });
const day: ServiceDay = makeServiceDay({ id: 'day-1', busId: 'bus-1', stopId: 'stop-1', ruleId: null });

const seeded = () => openTestStore({ seed: seedSchedule({ buses: [bus], stops: [stop], days: [day] }) });

describe('the change log', () => {
	it('records each schedule write with the record in the domain shape', async () => {
		const store = await seeded();
		const changes = await store.changeLog.listForBus('bus-1', 0, 10);
		expect(changes.map((c) => c.entity)).toEqual(['bus', 'stop', 'serviceDay']);
		expect(changes[0]?.data).toEqual(bus);
		expect(changes[1]?.data).toEqual(stop);
		expect(changes[2]?.data).toEqual(day);
	});

	it('records nothing when a regeneration changes nothing, and one change per edit', async () => {
		const store = await seeded();
		const before = await store.changeLog.lastSeq();
		await store.serviceDays.upsertGenerated([day]);
		await store.buses.upsertMany([bus]);
		expect(await store.changeLog.lastSeq()).toBe(before);

		await store.serviceDays.edit(
			{ ...day, status: 'cancelled', reason: 'Travaux' },
			'2026-03-09T10:00:00.000Z'
		);
		expect(await store.changeLog.listForBus('bus-1', before, 10)).toMatchObject([
			{ entity: 'serviceDay', id: 'day-1', data: { status: 'cancelled', reason: 'Travaux' } }
		]);
	});

	it('loses the change with its write when the transaction rolls back', async () => {
		const store = await seeded();
		const before = await store.changeLog.lastSeq();
		await expect(
			store.transaction(async (tx) => {
				await tx.serviceDays.edit({ ...day, status: 'cancelled' }, '2026-03-09T10:00:00.000Z');
				throw new Error('abandon');
			})
		).rejects.toThrow('abandon');
		expect(await store.changeLog.lastSeq()).toBe(before);
	});

	it("reads a pull by index searches, never a scan or a sort of the whole log (issue 12: a pull's cost does not grow with history)", () => {
		const db = openTestDatabase({ version: migrations.length });
		const plan = (sql: string, ...params: unknown[]) =>
			(db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
				(row) => row.detail
			);
		try {
			// Without the (bus_id, seq) index this would be a search of the rowid range, every bus's rows after
			// the cursor read and filtered; a scan or a temporary b-tree (a sort) would read the whole log.
			expect(plan(LIST_FOR_BUS_SQL, 'bus-1', 0, 501)).toEqual([
				'SEARCH change_log USING INDEX change_log_bus_seq (bus_id=? AND seq>?)'
			]);
			// MAX of the rowid: one step down the table's b-tree.
			expect(plan(LAST_SEQ_SQL)).toEqual(['SEARCH change_log']);
		} finally {
			db.close();
		}
	});

	it('takes in the rows a database held before the sync migration', () => {
		const db = openTestDatabase({ version: 1 });
		db.prepare(
			`INSERT INTO buses VALUES ('bus-0', '0', 'Bus 0', 'bus', '36', 'metropole', 'Europe/Paris', '36044',
				'Châteauroux', '36000', 'Gare', 46.8, 1.6, NULL, NULL, 0, '2026-01-01T00:00:00.000Z')`
		).run();
		applyMigrations(db, migrations);
		expect(db.prepare('SELECT bus_id, entity, entity_id FROM change_log').all()).toEqual([
			{ bus_id: 'bus-0', entity: 'bus', entity_id: 'bus-0' }
		]);
		db.close();
	});
});
