import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readCheckInsOfServiceDay } from '$lib/client/db/check-in';
import type { EscaleDb } from '$lib/client/db/schema';
import { openTestDb } from '$lib/client/db/testing';
import { recordVisit } from '$lib/client/db/visits';
import { m } from '$lib/i18n';
import { makeBus } from '$factories/bus';
import { makeServiceDay } from '$factories/schedule';
import { makeVisit } from '$factories/visit';
import { crewState } from './crew.svelte';
import { VisitWithdrawal } from './visit-withdrawal.svelte';

const DAY = makeServiceDay();
const DURING_THE_DAY = new Date('2026-03-10T10:00:00.000Z');
let db: EscaleDb;

beforeEach(async () => {
	db = openTestDb();
	await db.buses.add(makeBus({ id: 'fs-1' }));
	await db.serviceDays.add(DAY);
	vi.spyOn(crewState, 'afterWrite').mockResolvedValue();
});

afterEach(() => vi.restoreAllMocks());

describe('VisitWithdrawal', () => {
	it('withdraws only once the crew confirms, then says which visit it was', async () => {
		const visit = await recordVisit(db, makeVisit());
		const flow = new VisitWithdrawal({ db: () => db, now: () => DURING_THE_DAY });

		flow.ask(visit);
		flow.keep();
		expect(flow.asking).toBeNull();
		expect(await flow.confirm()).toBe(false);
		expect(await db.visitWithdrawals.count()).toBe(0);

		flow.ask(visit);
		expect(await flow.confirm()).toBe(true);
		expect(flow.asking).toBeNull();
		expect(flow.withdrawn).toEqual(visit);
		expect((await readCheckInsOfServiceDay(db, DAY.id)).withdrawn).toEqual([visit]);
		expect(crewState.afterWrite).toHaveBeenCalledOnce();
	});

	it('says why nothing was withdrawn, the question closed', async () => {
		const visit = await recordVisit(db, makeVisit());
		const nextDay = new Date('2026-03-11T09:00:00.000Z');
		const flow = new VisitWithdrawal({ db: () => db, now: () => nextDay });

		flow.ask(visit);
		expect(await flow.confirm()).toBe(false);
		expect(flow.asking).toBeNull();
		expect(flow.withdrawn).toBeNull();
		expect(flow.save.error).toBe(
			m.crew_save_error_invalid({ detail: "Une visite ne s'annule que le jour même du passage" })
		);
		expect(await db.visitWithdrawals.count()).toBe(0);
	});
});
