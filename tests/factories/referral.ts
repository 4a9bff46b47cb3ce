/**
 * Referrals for tests: an open referral without contact details, made during the visit of `makeVisit`. Shared
 * by the client, server, sync and domain suites.
 */
import { currentReference } from '$lib/domain/reference';
import type { Referral } from '$lib/domain/referral';

/** A valid open referral without contact details; `overrides` change what a test is about. */
export function makeReferral(overrides: Partial<Referral> = {}): Referral {
	const recordedAt = overrides.recordedAt ?? '2026-03-10T08:20:00.000Z';
	return {
		id: crypto.randomUUID(),
		visitId: crypto.randomUUID(),
		busId: 'fs-1',
		recordedAt,
		referenceVersion: currentReference.version,
		partner: 'CAF',
		target: 'localOffice',
		mode: 'phoneHandoff',
		reason: 'needsFileAccess',
		dueDate: '2026-03-20',
		status: 'open',
		history: [{ status: 'open', at: recordedAt }],
		consent: null,
		contact: null,
		...overrides
	};
}

/**
 * A referral to the France services referent through the partner's platform, recorded at 08:41 and due two
 * weeks later: what the server and domain suites send (pass it to `makeReferral`).
 */
export const TO_REFERENT = {
	recordedAt: '2026-03-10T08:41:00.000Z',
	target: 'franceServicesReferent',
	mode: 'partnerPlatform',
	dueDate: '2026-03-24'
} as const satisfies Partial<Referral>;
