/**
 * Visits for tests: one walk-in with one resolved CAF request, on the day of `makeServiceDay`. Shared by the
 * client, server, sync and bench suites.
 */
import { currentReference } from '$lib/domain/reference';
import type { Visit } from '$lib/domain/visit';

/** A valid visit (one walk-in, one resolved CAF request); `overrides` change what a test is about. */
export function makeVisit(overrides: Partial<Visit> = {}): Visit {
	return {
		id: crypto.randomUUID(),
		busId: 'fs-1',
		serviceDayId: 'fs-1-marche@2026-03-10',
		recordedAt: '2026-03-10T08:15:00.000Z',
		channel: 'walkIn',
		referenceVersion: currentReference.version,
		requests: [{ partner: 'CAF', theme: 'family', outcome: 'resolved' }],
		...overrides
	};
}
