/**
 * The coordination overview shows each time as the clocks of its bus show it, never in the zone of the process
 * that renders the page (the server runs in UTC; run this file with TZ=Asia/Tokyo too): the real overview read
 * from a store, rendered by the real page, for a mainland bus and an overseas one.
 */
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import type { Circuit } from '$lib/domain/schedule';
import { readCoordinationOverview } from '$lib/server/coordination/overview';
import { mobileSites, toBus } from '$lib/server/demo/buses';
import { makeCircuitRule, makeServiceDay, makeStop } from '$factories/schedule';
import { openTestStore } from '$factories/store';
import Page from './+page.svelte';

// 12:55 UTC: 13:55 in Paris (winter), 08:55 in Basse-Terre (UTC−4 all year).
const AT = '2026-11-27T12:55:00.000Z';
const NOW = new Date('2026-11-27T15:00:00.000Z');

const demoBus = (anctId: string) => {
	const site = mobileSites.find((candidate) => candidate.id_fs === anctId);
	if (!site) throw new Error(`id_fs ${anctId} missing`);
	return toBus(site);
};
// Du Ruffecois (Charente) and Grand Sud Caraïbe (Guadeloupe).
const BUSES = [demoBus('2023'), demoBus('2910')];

async function renderOverview(): Promise<string> {
	const store = await openTestStore({ now: () => NOW.toISOString() });
	await store.buses.upsertMany(BUSES);
	await store.stops.upsertMany(BUSES.map((bus) => makeStop({ id: `${bus.id}-stop`, busId: bus.id })));
	await store.circuits.upsertMany(
		BUSES.map(
			(bus) =>
				({
					id: `${bus.id}-circuit`,
					busId: bus.id,
					name: 'Itinérance',
					rules: [
						makeCircuitRule({
							id: `${bus.id}-tue`,
							stopId: `${bus.id}-stop`,
							recurrence: { kind: 'weekly', weekdays: [2] },
							validFrom: '2026-01-01'
						})
					]
				}) as Circuit
		)
	);
	for (const bus of BUSES) {
		const deviceId = `dev-${bus.id}-tablet0`;
		await store.devices.insert({
			id: deviceId,
			busId: bus.id,
			secretHash: '0'.repeat(64),
			appVersion: '1.0.0',
			createdAt: AT,
			revokedAt: null,
			lastMutationId: 0,
			lastSeenAt: AT
		});
		await store.syncRecords.insertRejection({
			deviceId,
			busId: bus.id,
			mutationId: 1,
			kind: 'visit.create',
			entityId: null,
			reason: 'invalid_payload',
			detail: null,
			payload: 'null',
			at: AT
		});
		await store.stops.upsertMany([
			makeStop({ id: `${bus.id}-hc-x`, busId: bus.id, commune: 'Guéret', place: 'Parking', offPlan: true })
		]);
		await store.serviceDays.insertOffPlan(
			{
				...makeServiceDay({
					id: `${bus.id}-hc-x@2026-11-27`,
					busId: bus.id,
					stopId: `${bus.id}-hc-x`,
					ruleId: null,
					date: '2026-11-27',
					start: '09:00',
					end: '12:00'
				}),
				status: 'held'
			},
			NOW.toISOString()
		);
	}
	// A code issued at 03:30 UTC on 21/11: it expires on 28/11 in Paris, still on 27/11 in Guadeloupe.
	const codes = BUSES.map((bus) => ({
		busId: bus.id,
		busName: bus.name,
		code: 'ABCD-EFGH',
		expiresAt: '2026-11-28T03:30:00.000Z'
	}));
	const overview = await readCoordinationOverview(store, { all: true }, codes, NOW);
	const data = { ...overview, member: null, can: { issueCode: false, revokeDevice: false } };
	return render(Page, { props: { data, form: null } as never }).body.replace(/<!--[^>]*-->/g, '');
}

/** The text of the table rows that name `busName`, tags dropped. */
const rowsOf = (html: string, busName: string): string[] =>
	[...html.matchAll(/<tr>(.*?)<\/tr>/gs)]
		.map(([, row]) => (row ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '))
		.filter((row) => row.includes(busName));

describe('times on the coordination overview', () => {
	it("shows a mainland bus's times on Paris's clock, unnamed", async () => {
		const rows = rowsOf(await renderOverview(), 'Ruffecois');
		// The tablet's row: enrolled and last seen at 13:55.
		expect(rows.some((row) => /27\/11\/2026 13:55 .*27\/11\/2026 13:55/.test(row))).toBe(true);
		// The refused record, the off-plan hours, the code's expiry.
		expect(rows.some((row) => row.includes('invalid_payload') && row.includes('27/11/2026 13:55'))).toBe(
			true
		);
		expect(rows.some((row) => row.includes('9 h – 12 h') && !row.includes('heure de'))).toBe(true);
		expect(rows.some((row) => row.includes('ABCD-EFGH') && row.includes('samedi 28 novembre'))).toBe(true);
		expect(rows.join(' ')).not.toMatch(/12:55|heure de/);
	});

	it("shows an overseas bus's times on its own clock, and says whose", async () => {
		const rows = rowsOf(await renderOverview(), 'Grand Sud Caraïbe');
		const guadeloupe = '27/11/2026 08:55 (heure de la Guadeloupe)';
		expect(rows.some((row) => row.includes(`${guadeloupe} ${guadeloupe}`))).toBe(true);
		expect(rows.some((row) => row.includes('invalid_payload') && row.includes(guadeloupe))).toBe(true);
		expect(rows.some((row) => row.includes('9 h – 12 h (heure de la Guadeloupe)'))).toBe(true);
		expect(rows.some((row) => row.includes('ABCD-EFGH') && row.includes('vendredi 27 novembre'))).toBe(true);
		expect(rows.join(' ')).not.toMatch(/12:55|13:55/);
	});
});
