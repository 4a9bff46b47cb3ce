/**
 * Demo only: one enrollment code per bus that has a circuit, issued at each start so a visitor can enrol a
 * tablet. They are demo credentials, not personal data: they are printed and shown on /coordination. The
 * last ones issued are kept in the database (meta `demoEnrollmentCodes`), so that every process of a
 * deployment shows the same ones; earlier ones stay valid until they expire or are used.
 */
import * as v from 'valibot';
import type { Store } from '../store/store';
import { issueEnrollmentCode } from './codes';

export interface DemoEnrollmentCode {
	busId: string;
	busName: string;
	code: string;
	expiresAt: string;
}

export async function issueDemoEnrollmentCodes(
	store: Store,
	now: () => Date = () => new Date()
): Promise<DemoEnrollmentCode[]> {
	const codes: DemoEnrollmentCode[] = [];
	for (const bus of await store.buses.list()) {
		if ((await store.circuits.listByBus(bus.id)).length === 0) continue;
		const { code, expiresAt } = await issueEnrollmentCode(store, bus.id, now);
		codes.push({ busId: bus.id, busName: bus.name, code, expiresAt });
	}
	return codes;
}

const StoredCodes = v.array(
	v.object({
		busId: v.string(),
		busName: v.string(),
		code: v.pipe(v.string(), v.regex(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/)),
		expiresAt: v.pipe(v.string(), v.isoTimestamp())
	})
);

/** Keeps the codes just issued for every process to show (replacing the previous start's). */
export async function recordDemoEnrollmentCodes(
	store: Store,
	codes: readonly DemoEnrollmentCode[]
): Promise<void> {
	await store.meta.set('demoEnrollmentCodes', JSON.stringify(codes));
}

/** The demo codes of the last start that have not expired; none when nothing readable is stored. */
export async function readDemoEnrollmentCodes(
	store: Store,
	now: () => Date = () => new Date()
): Promise<DemoEnrollmentCode[]> {
	const stored = await store.meta.get('demoEnrollmentCodes');
	if (stored === null) return [];
	let parsed: unknown;
	try {
		parsed = JSON.parse(stored);
	} catch {
		return [];
	}
	const codes = v.safeParse(StoredCodes, parsed);
	if (!codes.success) return [];
	const at = now().getTime();
	return codes.output.filter((code) => Date.parse(code.expiresAt) > at);
}
