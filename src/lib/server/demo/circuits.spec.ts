import { describe, expect, it } from 'vitest';
import { listDemoCircuits } from './circuits';
import file from './data/mobile-france-services.json';

const TODAY = '2026-11-27';
const MAX_KM_FROM_HOME = 45;

/** Great-circle distance; plenty precise for catching a typo of a degree or a swapped sign. */
function kilometresBetween(
	a: { latitude: number; longitude: number },
	b: { latitude: number; longitude: number }
) {
	const rad = (deg: number) => (deg * Math.PI) / 180;
	const dLat = rad(b.latitude - a.latitude);
	const dLon = rad(b.longitude - a.longitude);
	const h =
		Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
	return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** Overseas INSEE codes carry a three-digit department (971...), mainland ones two characters (2B...). */
const departementOfInsee = (insee: string) =>
	insee.startsWith('97') ? insee.slice(0, 3) : insee.slice(0, 2);

const homeOf = (anctId: string) => {
	const site = file.sites.find((candidate) => candidate.id_fs === anctId);
	if (!site) throw new Error(`id_fs ${anctId} is not in the derived list`);
	return site;
};

describe.each(listDemoCircuits(TODAY).map((circuit) => [circuit.name, circuit] as const))(
	'demo circuit %s',
	(_, circuit) => {
		const home = homeOf(circuit.anctId);

		it.each(circuit.stops.map((stop) => [stop.commune, stop] as const))(
			`stops at %s within ${MAX_KM_FROM_HOME} km of the bus's home base`,
			(_, stop) => {
				expect(kilometresBetween(home, stop)).toBeLessThan(MAX_KM_FROM_HOME);
			}
		);

		it("stops only in communes of the bus's department, with matching postal codes", () => {
			for (const stop of circuit.stops) {
				expect(stop.insee, stop.commune).toMatch(/^(\d{5}|2[AB]\d{3})$/);
				expect(departementOfInsee(stop.insee), stop.commune).toBe(home.insee_dep);
				expect(
					stop.postalCode.startsWith(home.insee_dep.slice(0, stop.postalCode.startsWith('97') ? 3 : 2))
				).toBe(true);
			}
		});

		it('names each stop and each rule once, and every rule names one of its stops', () => {
			const stopKeys = circuit.stops.map((stop) => stop.key);
			const ruleKeys = circuit.rules.map((rule) => rule.key);
			expect(new Set(stopKeys).size).toBe(stopKeys.length);
			expect(new Set(ruleKeys).size).toBe(ruleKeys.length);
			for (const rule of circuit.rules) expect(stopKeys).toContain(rule.stop);
			for (const key of stopKeys)
				expect(
					circuit.rules.some((rule) => rule.stop === key),
					key
				).toBe(true);
		});

		it('uses windows that start before they end, within a working day', () => {
			for (const { window } of circuit.rules) {
				expect(window.start < window.end, `${window.start}-${window.end}`).toBe(true);
				expect(window.start >= '07:00' && window.end <= '19:00').toBe(true);
			}
		});
	}
);

describe('the demo circuits', () => {
	it('cover four buses and the rule kinds the issue asks for', () => {
		const circuits = listDemoCircuits(TODAY);
		const kinds = new Set(circuits.flatMap((circuit) => circuit.rules.map((rule) => rule.recurrence.kind)));

		expect(circuits.map((circuit) => circuit.anctId)).toEqual(['2023', '2394', '47', '2910']);
		expect([...kinds].sort()).toEqual([
			'dates',
			'everyNWeeks',
			'isoWeekParity',
			'nthWeekdayOfMonth',
			'weekly'
		]);
	});

	it('give the overseas bus explicit dates ahead of today, on Thursdays', () => {
		const guadeloupe = listDemoCircuits(TODAY).find((circuit) => circuit.anctId === '2910');
		const dates = guadeloupe?.rules.flatMap((rule) =>
			rule.recurrence.kind === 'dates' ? rule.recurrence.dates : []
		);

		expect(dates?.length).toBeGreaterThanOrEqual(4);
		for (const date of dates ?? []) {
			expect(date >= TODAY).toBe(true);
			expect(new Date(`${date}T12:00:00Z`).getUTCDay()).toBe(4);
		}
	});
});
