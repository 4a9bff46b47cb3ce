/**
 * Browser side of the check-in bench (bundled by scripts/bench/browser-checkin.ts, run in Chromium). It times
 * the whole local path of a check-in, `recordVisit` (valibot validation, the visit row and its outbox entry
 * with the per-device mutation counter, strict durability), beside a bare Dexie transaction writing the same
 * two rows with no validation and no counter, on a database of the same schema (EscaleDb, which forces
 * strict durability). Both run on fresh databases, after a warm-up, in alternating blocks so that neither
 * gets the warm or the cold turns.
 */
import Dexie from 'dexie';
import { EscaleDb } from '$lib/client/db/schema';
import { PAYLOAD_SCHEMA_VERSION, type OutboxEntry } from '$lib/client/db/outbox';
import { recordVisit } from '$lib/client/db/visits';
import { getMeta } from '$lib/client/db/meta';
import { currentReference } from '$lib/domain/reference';
import { AGE_BANDS, REQUEST_OUTCOMES, VISIT_CHANNELS, type Visit } from '$lib/domain/visit';

/** Rows found in a database after its run. */
export interface StoredCounts {
	visits: number;
	outbox: number;
	/** The per-device counter (Escale only; null for the bare variant, which has none). */
	lastMutationId: number | null;
}

export interface CheckinBenchResult {
	/** Time of each `recordVisit`, in milliseconds, in run order. */
	escaleMs: number[];
	/** Time of each bare transaction, in milliseconds, in run order. */
	bareMs: number[];
	escale: StoredCounts;
	bare: StoredCounts;
	/** Wall time of the measured part (both variants, alternating), in milliseconds. */
	wallMs: number;
	/** Check-ins of each variant run before, on throwaway databases. */
	warmUp: number;
	/** Check-ins of one variant in a row before the other takes its turn. */
	block: number;
	/** The smallest step performance.now() showed: the precision of each timing. */
	timerStepMs: number;
}

declare global {
	interface Window {
		runCheckinBench?: (count: number) => Promise<CheckinBenchResult>;
	}
}

const BLOCK = 25;
const WARM_UP = 100;
const BUS_ID = 'fs-9001';
const SERVICE_DAY_ID = 'fs-9001-banc@2026-03-10';

function at<T>(items: readonly T[], index: number): T {
	const item = items[index % items.length];
	if (item === undefined) throw new Error('the check-in bench picked from an empty list');
	return item;
}

/** `count` valid visits as the check-in form hands them over: 1 to 3 requests, some optional fields. */
function makeVisits(count: number): Visit[] {
	const { partners, themes, version } = currentReference;
	const start = Date.parse('2026-03-10T09:00:00.000Z');
	return Array.from({ length: count }, (_, i) => ({
		id: crypto.randomUUID(),
		busId: BUS_ID,
		serviceDayId: SERVICE_DAY_ID,
		recordedAt: new Date(start + i * 20_000).toISOString(),
		channel: at(VISIT_CHANNELS, i),
		referenceVersion: version,
		requests: Array.from({ length: 1 + (i % 3) }, (_, r) => ({
			partner: at(partners, i * 7 + r).code,
			theme: at(themes, i * 5 + r * 3).code,
			outcome: at(REQUEST_OUTCOMES, i + r),
			...((i + r) % 3 === 0 ? { onlineProcedure: true } : {})
		})),
		...(i % 4 !== 0 ? { durationMinutes: 5 + (i % 40) } : {}),
		...(i % 2 === 0 ? { ageBand: at(AGE_BANDS, i) } : {})
	}));
}

/** The bare variant: the same two rows in one strict transaction, nothing else. */
async function bareWrite(db: EscaleDb, visit: Visit, mutationId: number, queuedAt: string): Promise<void> {
	const entry: Omit<OutboxEntry, 'seq'> = {
		mutationId,
		kind: 'visit.create',
		entityId: visit.id,
		payload: visit,
		createdAt: queuedAt,
		schemaVersion: PAYLOAD_SCHEMA_VERSION,
		status: 'pending',
		rejectedReason: null
	};
	await db.transaction('rw', [db.visits, db.outbox], async (tx) => {
		await tx.visits.add(visit);
		await tx.outbox.add(entry as OutboxEntry);
	});
}

async function freshDb(name: string): Promise<EscaleDb> {
	await Dexie.delete(name);
	const db = new EscaleDb(name);
	await db.open();
	return db;
}

async function countRows(db: EscaleDb, withCounter: boolean): Promise<StoredCounts> {
	const last = withCounter ? await getMeta(db, 'outbox.lastMutationId') : null;
	return {
		visits: await db.visits.count(),
		outbox: await db.outbox.count(),
		lastMutationId: typeof last === 'number' ? last : null
	};
}

/** Runs `count` check-ins of each variant; `timings` receive one duration per operation. */
async function runBoth(
	escaleDb: EscaleDb,
	bareDb: EscaleDb,
	count: number,
	timings: { escale: number[]; bare: number[] }
): Promise<void> {
	const escaleVisits = makeVisits(count);
	const bareVisits = makeVisits(count);
	const now = new Date('2026-03-10T09:00:00.000Z');
	const queuedAt = now.toISOString();
	const escaleBlock = async (from: number, to: number) => {
		for (let i = from; i < to; i++) {
			const visit = escaleVisits[i];
			if (!visit) throw new Error(`no visit ${i}`);
			const t0 = performance.now();
			await recordVisit(escaleDb, visit, now);
			timings.escale.push(performance.now() - t0);
		}
	};
	const bareBlock = async (from: number, to: number) => {
		for (let i = from; i < to; i++) {
			const visit = bareVisits[i];
			if (!visit) throw new Error(`no visit ${i}`);
			const t0 = performance.now();
			await bareWrite(bareDb, visit, i + 1, queuedAt);
			timings.bare.push(performance.now() - t0);
		}
	};
	for (let from = 0, round = 0; from < count; from += BLOCK, round++) {
		const to = Math.min(count, from + BLOCK);
		// Alternate which variant goes first, so neither always follows the other's writes.
		if (round % 2 === 0) {
			await escaleBlock(from, to);
			await bareBlock(from, to);
		} else {
			await bareBlock(from, to);
			await escaleBlock(from, to);
		}
	}
}

function timerStep(): number {
	let step = Infinity;
	for (let i = 0; i < 2000; i++) {
		const a = performance.now();
		let b = performance.now();
		while (b === a) b = performance.now();
		step = Math.min(step, b - a);
	}
	return step;
}

async function runCheckinBench(count: number): Promise<CheckinBenchResult> {
	if (!Number.isInteger(count) || count < 1)
		throw new Error(`count must be a positive integer, got ${count}`);

	// Warm-up on throwaway databases: JIT, valibot's schemas, Dexie's and IndexedDB's first opens.
	const warm = { escale: await freshDb('bench-warm-escale'), bare: await freshDb('bench-warm-bare') };
	await runBoth(warm.escale, warm.bare, WARM_UP, { escale: [], bare: [] });
	warm.escale.close();
	warm.bare.close();
	await Dexie.delete('bench-warm-escale');
	await Dexie.delete('bench-warm-bare');

	const escaleDb = await freshDb('bench-escale');
	const bareDb = await freshDb('bench-bare');
	const timings = { escale: [] as number[], bare: [] as number[] };
	const started = performance.now();
	await runBoth(escaleDb, bareDb, count, timings);
	const wallMs = performance.now() - started;

	const result: CheckinBenchResult = {
		escaleMs: timings.escale,
		bareMs: timings.bare,
		escale: await countRows(escaleDb, true),
		bare: await countRows(bareDb, false),
		wallMs,
		warmUp: WARM_UP,
		block: BLOCK,
		timerStepMs: timerStep()
	};
	escaleDb.close();
	bareDb.close();
	await Dexie.delete('bench-escale');
	await Dexie.delete('bench-bare');
	return result;
}

window.runCheckinBench = runCheckinBench;
