/**
 * Seeds the demo network: the 163 real mobile France services, four hand-written circuits and their
 * service days for the next 12 weeks. Safe to run at every start: nothing is duplicated, and a day edited
 * by a coordinator (or by the demo itself) is never reset.
 */
import { addDays, type LocalDate } from '$lib/domain/calendar';
import { generateServiceDays, validateCircuit } from '$lib/domain/circuit';
import type { Bus, Circuit, CircuitRule, ServiceDay, Stop } from '$lib/domain/schedule';
import type { GeneratedDaysResult, Store, StoreTransaction } from '../store/store';
import { busIdOf, mobileSites, toBus } from './buses';
import { DEMO_VALID_FROM, listDemoCircuits, type DemoCircuit } from './circuits';

export const DEMO_WEEKS = 12;

export interface DemoSeedSummary {
	buses: number;
	stops: number;
	circuits: number;
	serviceDays: GeneratedDaysResult;
	/** Days the demo cancelled or moved (only on the first seeding). */
	edited: number;
}

export interface DemoSchedule {
	buses: Bus[];
	stops: Stop[];
	circuits: Circuit[];
	serviceDays: ServiceDay[];
}

/** Whether this database was ever seeded with the demo (then it may be topped up, never otherwise). */
export async function isDemoSeeded(store: Store): Promise<boolean> {
	return (await store.meta.get('demoSeededAt')) !== null;
}

/** The last date of the demo window that starts on `today`. */
export function demoWindowEnd(today: LocalDate): LocalDate {
	return addDays(today, DEMO_WEEKS * 7 - 1);
}

/** Builds the whole demo in memory, without touching a store. */
export function buildDemoSchedule(today: LocalDate): DemoSchedule {
	const buses = mobileSites.map(toBus);
	const stops: Stop[] = [];
	const circuits: Circuit[] = [];
	const serviceDays: ServiceDay[] = [];
	for (const demo of listDemoCircuits(today)) {
		const bus = buses.find((candidate) => candidate.anctId === demo.anctId);
		if (!bus)
			throw new Error(`Demo circuit "${demo.name}" names id_fs ${demo.anctId}, absent from the list.`);
		const circuit = toCircuit(demo, bus);
		const issues = validateCircuit(circuit);
		if (issues.length > 0)
			throw new Error(`Demo circuit ${circuit.id} is invalid: ${JSON.stringify(issues)}`);
		stops.push(...demo.stops.map(({ key, ...rest }) => ({ ...rest, id: `${bus.id}-${key}`, busId: bus.id })));
		circuits.push(circuit);
		serviceDays.push(...generateServiceDays(circuit, bus, { from: today, to: demoWindowEnd(today) }));
	}
	return { buses, stops, circuits, serviceDays };
}

function toCircuit(demo: DemoCircuit, bus: Bus): Circuit {
	const rules: CircuitRule[] = demo.rules.map((rule) => ({
		id: `${bus.id}-${rule.key}`,
		stopId: `${bus.id}-${rule.stop}`,
		recurrence: rule.recurrence,
		window: rule.window,
		validFrom: DEMO_VALID_FROM,
		validUntil: null,
		exceptDates: []
	}));
	return { id: `${bus.id}-circuit`, busId: bus.id, name: demo.name, rules };
}

export async function seedDemo(store: Store, today: LocalDate): Promise<DemoSeedSummary> {
	const schedule = buildDemoSchedule(today);
	const now = new Date().toISOString();
	// What must stay true: the demo lands whole or not at all, and its cancelled / moved days are applied
	// exactly once (with the seeding mark), so a restart never piles up new cancellations.
	return store.transaction(async (tx) => {
		const firstTime = (await tx.meta.get('demoSeededAt')) === null;
		await tx.buses.upsertMany(schedule.buses);
		await tx.stops.upsertMany(schedule.stops);
		await tx.circuits.upsertMany(schedule.circuits);
		const serviceDays = await tx.serviceDays.upsertGenerated(schedule.serviceDays);
		let edited = 0;
		if (firstTime) {
			edited = await applyDemoEdits(tx, schedule.serviceDays, today, now);
			await tx.meta.set('demoSeededAt', now);
		}
		return {
			buses: schedule.buses.length,
			stops: schedule.stops.length,
			circuits: schedule.circuits.length,
			serviceDays,
			edited
		};
	});
}

/** A cancelled and a moved day, so the demo shows every status a resident may meet. */
async function applyDemoEdits(
	tx: StoreTransaction,
	days: readonly ServiceDay[],
	today: LocalDate,
	editedAt: string
): Promise<number> {
	const inAWeek = addDays(today, 7);
	const inTwoWeeks = addDays(today, 14);
	const edits: ServiceDay[] = [];
	const toCancel = days.find((day) => day.busId === busIdOf('2023') && day.date >= inAWeek);
	if (toCancel) {
		edits.push({ ...toCancel, status: 'cancelled', reason: 'Bus en panne : la permanence est annulée.' });
	}
	const toMove = days.find((day) => day.busId === busIdOf('47') && day.date >= inTwoWeeks);
	if (toMove) {
		edits.push({
			...toMove,
			status: 'moved',
			reason: 'Mairie en travaux : le bus stationne place de l’église, à 200 m.'
		});
	}
	for (const day of edits) await tx.serviceDays.edit(day, editedAt);
	return edits.length;
}
