import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { correctVisit, withdrawVisit } from '$lib/client/db/check-in';
import type { EscaleDb } from '$lib/client/db/schema';
import { openTestDb } from '$lib/client/db/testing';
import { recordVisit } from '$lib/client/db/visits';
import { currentReference } from '$lib/domain/reference';
import type { ServiceDay, Stop } from '$lib/domain/schedule';
import { m } from '$lib/i18n';
import { makeBus } from '$factories/bus';
import { makeServiceDay } from '$factories/schedule';
import { makeVisit } from '$factories/visit';
import { CheckInSession } from './check-in-session.svelte';
import { crewState } from './crew.svelte';

const BUS = makeBus({ id: 'fs-1' });
const DAY = makeServiceDay();
const YESTERDAY = makeServiceDay({ id: 'fs-1-marche@2026-03-09', date: '2026-03-09' });
const DURING_THE_DAY = new Date('2026-03-10T10:00:00.000Z');

function aStop(overrides: Partial<Stop> & Pick<Stop, 'id' | 'insee' | 'commune'>): Stop {
	return {
		busId: 'fs-1',
		postalCode: '23150',
		place: 'Place de la mairie',
		address: null,
		accessNotes: null,
		latitude: 46,
		longitude: 2,
		...overrides
	};
}
const STOPS = [
	aStop({ id: 'fs-1-ahun', insee: '23001', commune: 'Ahun' }),
	aStop({ id: 'fs-1-vallieres', insee: '23258', commune: 'Vallière' }),
	aStop({ id: 'fs-1-ahun-gare', insee: '23001', commune: 'Ahun' }),
	aStop({ id: 'fs-1-aubusson', insee: '23008', commune: 'Aubusson' })
];

let db: EscaleDb;

/** A new tablet's database holding the bus, its stops, DAY and YESTERDAY. */
async function aTabletDb(): Promise<EscaleDb> {
	const fresh = openTestDb();
	await fresh.buses.add(BUS);
	await fresh.serviceDays.bulkAdd([DAY, YESTERDAY]);
	await fresh.stops.bulkAdd(STOPS);
	return fresh;
}

beforeEach(async () => {
	db = await aTabletDb();
	// The crew state as the layout leaves it on an enrolled tablet, on the morning of DAY.
	crewState.loaded = true;
	crewState.bus = BUS;
	crewState.today = [{ ...DAY, stop: STOPS[0]! }];
	vi.spyOn(crewState, 'afterWrite').mockResolvedValue();
});

afterEach(() => {
	vi.restoreAllMocks();
	crewState.loaded = false;
	crewState.bus = null;
	crewState.today = [];
});

/** A session prepared as the screen prepares it (from its effect), once its reads are done. */
async function preparedSession(correctionId: string | null = null): Promise<CheckInSession> {
	const session = new CheckInSession({ db: () => db, now: () => DURING_THE_DAY });
	session.prepare(correctionId);
	await untilReady(session);
	return session;
}

/** Today becomes a two-stop day: DAY's morning, then an afternoon at Vallière (13 h - 16 h 30), which it returns. */
async function aTwoStopDay(): Promise<ServiceDay> {
	const afternoon = makeServiceDay({
		id: 'fs-1-vallieres@2026-03-10',
		stopId: 'fs-1-vallieres',
		start: '13:00',
		end: '16:30'
	});
	await db.serviceDays.add(afternoon);
	crewState.today = [
		{ ...DAY, stop: STOPS[0]! },
		{ ...afternoon, stop: STOPS[1]! }
	];
	return afternoon;
}

/**
 * Waits for a session to have read the tablet's database: a state, not a time. The bound is only there so a
 * session that never gets ready fails the test; a loaded machine (two cores busy) takes well over vitest's
 * default second to open a fake IndexedDB.
 */
async function untilReady(session: { ready: boolean }): Promise<void> {
	await vi.waitFor(() => expect(session.ready).toBe(true), { timeout: 30_000, interval: 5 });
}

describe('CheckInSession', () => {
	it('waits for the tablet to be read and enrolled before it prepares', () => {
		crewState.loaded = false;
		const session = new CheckInSession({ db: () => db, now: () => DURING_THE_DAY });
		session.prepare(null);
		expect(session.ready).toBe(false);
	});

	it("prepares the form: today's day, the communes once each in order, no partner picked yet", async () => {
		const session = await preparedSession();
		expect(session.serviceDayId).toBe(DAY.id);
		expect(session.today).toBe('2026-03-10');
		expect(session.communes).toEqual([
			{ insee: '23001', commune: 'Ahun' },
			{ insee: '23008', commune: 'Aubusson' },
			{ insee: '23258', commune: 'Vallière' }
		]);
		expect(session.draft.requests).toHaveLength(1);
		expect(session.draft.requests[0]!.partner).toBe('');
		expect(session.correcting).toBeNull();
	});

	it('files a visit under the stop running now on a two-stop day, or under the card the crew tapped', async () => {
		// The morning first, as the Today page lists them; 14:03 in Paris is 13:03 UTC.
		const afternoon = await aTwoStopDay();
		const at = (utc: string) => () => new Date(`2026-03-10T${utc}:00.000Z`);
		const prepared = async (now: () => Date, chosenDayId: string | null) => {
			const session = new CheckInSession({ db: () => db, now });
			session.prepare(null, chosenDayId);
			await untilReady(session);
			return session.serviceDayId;
		};

		expect(await prepared(at('13:03'), null)).toBe(afternoon.id);
		expect(await prepared(at('08:15'), null)).toBe(DAY.id);
		expect(await prepared(at('11:30'), null)).toBe(afternoon.id);
		expect(await prepared(at('13:03'), DAY.id)).toBe(DAY.id);
		// A card of another day (or a stale link) does not decide: the hour does.
		expect(await prepared(at('13:03'), YESTERDAY.id)).toBe(afternoon.id);
	});

	it('moves a form left open from the morning to the afternoon stop after a save, unless the crew picked the day', async () => {
		const afternoon = await aTwoStopDay();
		const visitAt = async (picked: boolean) => {
			let now = new Date('2026-03-10T10:58:00.000Z');
			const session = new CheckInSession({ db: () => db, now: () => now });
			session.prepare(null);
			await untilReady(session);
			expect(session.serviceDayId).toBe(DAY.id);
			if (picked) session.chooseDay();
			session.draft.requests[0]!.partner = 'CAF';
			session.draft.requests[0]!.theme = 'family';
			now = new Date('2026-03-10T12:05:00.000Z');
			expect(await session.submit()).toBe(true);
			return session.serviceDayId;
		};

		expect(await visitAt(false)).toBe(afternoon.id);
		expect(await visitAt(true)).toBe(DAY.id);
	});

	it('keeps the partner and theme tiles in the same order after any check-ins, the last choice marked', async () => {
		const partnerCodes = currentReference.partners.map((partner) => partner.code);
		const themeCodes = currentReference.themes.map((theme) => theme.code);
		const aRequest = fc.record({
			partner: fc.constantFrom(...partnerCodes),
			theme: fc.constantFrom(...themeCodes)
		});
		const codes = (tiles: readonly { code: string }[]) => tiles.map((tile) => tile.code);
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.array(aRequest, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
				async (visits) => {
					const tablet = await aTabletDb();
					const session = new CheckInSession({ db: () => tablet, now: () => DURING_THE_DAY });
					session.prepare(null);
					await untilReady(session);
					const before = { partners: codes(session.partnerTiles), themes: codes(session.themeTiles) };
					expect(before).toEqual({ partners: partnerCodes, themes: themeCodes });
					expect([...session.partnerTiles, ...session.themeTiles].some((tile) => tile.last)).toBe(false);

					for (const requests of visits) {
						requests.forEach((request, index) => {
							if (index > 0) session.addRequest();
							Object.assign(session.draft.requests[index]!, request);
						});
						// Two identical visits in a row (the generator makes them) ask first on the fixed clock:
						// the crew answers yes, as it would for two visitors with the same request.
						expect(await session.submit({ twice: true })).toBe(true);
					}

					expect(codes(session.partnerTiles)).toEqual(before.partners);
					expect(codes(session.themeTiles)).toEqual(before.themes);
					// Marked, not moved: the first request of the last visit, where it always stood.
					const last = visits.at(-1)![0]!;
					expect(session.partnerTiles.filter((tile) => tile.last)).toEqual([
						{ code: last.partner, last: true }
					]);
					expect(session.themeTiles.filter((tile) => tile.last)).toEqual([{ code: last.theme, last: true }]);
					// A new session on the same tablet shows them the same way.
					const next = new CheckInSession({ db: () => tablet, now: () => DURING_THE_DAY });
					next.prepare(null);
					await untilReady(next);
					expect(next.partnerTiles).toEqual(session.partnerTiles);
					expect(next.themeTiles).toEqual(session.themeTiles);
					tablet.close();
				}
			),
			{ numRuns: 25 }
		);
	}, 120_000);

	it('knows a visitor half filled in: anything entered since the form started, until it is saved or undone', async () => {
		const session = await preparedSession();
		expect(session.inProgress).toBe(false);
		session.draft.requests[0]!.partner = 'CAF';
		expect(session.inProgress).toBe(true);
		session.draft.requests[0]!.partner = '';
		expect(session.inProgress).toBe(false);
		session.addRequest();
		expect(session.inProgress).toBe(true);
		session.removeRequest(1);
		expect(session.inProgress).toBe(false);
		session.draft.ageBand = 'from70';
		session.draft.requests[0]!.partner = 'CAF';
		session.draft.requests[0]!.theme = 'family';
		const saving = session.submit();
		expect(session.inProgress).toBe(true);
		expect(await saving).toBe(true);
		// The next form starts from the choices just made: nothing entered in it yet.
		expect(session.draft.requests[0]!.partner).toBe('CAF');
		expect(session.inProgress).toBe(false);
	});

	it('keeps a refused save in progress: what was entered stays until it is stored', async () => {
		const session = await preparedSession();
		session.draft.ageBand = 'from70';
		expect(await session.submit()).toBe(false);
		expect(session.inProgress).toBe(true);
	});

	it('says which choice is missing and stores nothing', async () => {
		const session = await preparedSession();
		expect(await session.submit()).toBe(false);
		expect(session.save.error).toBe(m.crew_checkin_pick_partner({ n: '1' }));
		expect(await db.visits.count()).toBe(0);
	});

	it('stores a check-in, says how many today, and starts the next form from these choices', async () => {
		const session = await preparedSession();
		session.draft.requests[0]!.partner = 'CAF';
		session.draft.requests[0]!.theme = 'family';
		expect(await session.submit()).toBe(true);
		const [visit] = await db.visits.toArray();
		expect(visit).toMatchObject({ busId: 'fs-1', serviceDayId: DAY.id });
		expect(session.save.done).toBe(m.crew_checkin_saved({ count: '1' }));
		expect(session.save.error).toBeNull();
		expect(session.draft.requests[0]!.partner).toBe('CAF');
		expect(session.partnerTiles.filter((tile) => tile.last)).toEqual([{ code: 'CAF', last: true }]);
		expect(crewState.afterWrite).toHaveBeenCalledOnce();
	});

	it('opens the correction of a current visit of today, and stores it as a correction', async () => {
		const original = await recordVisit(db, makeVisit());
		const session = await preparedSession(original.id);
		expect(session.correcting?.id).toBe(original.id);
		expect(session.correctionRefused).toBe(false);
		expect(session.draft.requests[0]).toMatchObject({ partner: 'CAF', theme: 'family' });
		// The visit as recorded is where the correction starts: nothing is in progress until it is changed.
		expect(session.inProgress).toBe(false);
		session.draft.requests[0]!.outcome = 'mustReturn';
		expect(session.inProgress).toBe(true);
		expect(await session.submit()).toBe(true);
		const correction = await db.visits.where('correctionOf').equals(original.id).first();
		expect(correction?.requests[0]?.outcome).toBe('mustReturn');
		expect(session.save.done).toBe(m.crew_checkin_corrected());
		expect(session.correcting).toBeNull();
	});

	it('refuses by the correction rule: a visit already corrected, unknown, or of another day', async () => {
		const corrected = await recordVisit(db, makeVisit());
		await correctVisit(db, corrected.id, { ...makeVisit(), correctionOf: corrected.id }, DURING_THE_DAY);
		const ofYesterday = await recordVisit(
			db,
			makeVisit({ serviceDayId: YESTERDAY.id, recordedAt: '2026-03-09T08:15:00.000Z' })
		);
		for (const id of [corrected.id, crypto.randomUUID(), ofYesterday.id]) {
			const session = await preparedSession(id);
			expect(session.correctionRefused).toBe(true);
			expect(session.correcting).toBeNull();
		}
	});

	it('asks before storing the same visit again within 2 seconds; yes stores it, no keeps the form', async () => {
		let now = DURING_THE_DAY;
		const session = new CheckInSession({ db: () => db, now: () => now });
		session.prepare(null);
		await untilReady(session);
		session.draft.requests[0]!.partner = 'CAF';
		session.draft.requests[0]!.theme = 'family';
		expect(await session.submit()).toBe(true);

		// The next form starts from the same choices: a second tap 350 ms later is the same visit.
		now = new Date(DURING_THE_DAY.getTime() + 350);
		expect(await session.submit()).toBe(false);
		expect(session.doubleSave).toBe(true);
		expect(await db.visits.count()).toBe(1);
		session.keepForm();
		expect(session.doubleSave).toBe(false);
		expect(session.draft.requests[0]).toMatchObject({ partner: 'CAF', theme: 'family' });
		expect(await db.visits.count()).toBe(1);

		expect(await session.submit()).toBe(false);
		expect(await session.submit({ twice: true })).toBe(true);
		expect(session.doubleSave).toBe(false);
		expect(await db.visits.count()).toBe(2);
		expect(session.save.done).toBe(m.crew_checkin_saved({ count: '2' }));
	});

	it('does not ask for another visit, nor for the same one 2 seconds later', async () => {
		let now = DURING_THE_DAY;
		const session = new CheckInSession({ db: () => db, now: () => now });
		session.prepare(null);
		await untilReady(session);
		session.draft.requests[0]!.partner = 'CAF';
		session.draft.requests[0]!.theme = 'family';
		expect(await session.submit()).toBe(true);

		now = new Date(DURING_THE_DAY.getTime() + 500);
		session.draft.requests[0]!.outcome = 'mustReturn';
		expect(await session.submit()).toBe(true);
		now = new Date(DURING_THE_DAY.getTime() + 2_500);
		expect(await session.submit()).toBe(true);
		expect(session.doubleSave).toBe(false);
		expect(await db.visits.count()).toBe(3);
	});

	it('counts today without the visits the crew withdrew', async () => {
		const withdrawn = await recordVisit(db, makeVisit());
		await withdrawVisit(db, withdrawn.id, DURING_THE_DAY);
		const session = await preparedSession();
		session.draft.requests[0]!.partner = 'CAF';
		session.draft.requests[0]!.theme = 'family';
		expect(await session.submit()).toBe(true);
		expect(session.save.done).toBe(m.crew_checkin_saved({ count: '1' }));
	});
});
