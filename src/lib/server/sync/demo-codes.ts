/**
 * Demo only: one enrollment code per bus that has a circuit, issued at each start so a visitor can enrol a
 * tablet. They are demo credentials, not personal data: they are printed and shown on /coordination.
 */
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
