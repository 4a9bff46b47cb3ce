/**
 * On which buses a caller may act: a tablet on its own bus, a member on the buses their roles reach. Services
 * take a scope and answer as if a bus outside it did not exist ("not yours" and "does not exist" read the same).
 *
 * Organisations (issue 13) will narrow a `coordinateur` to its organisation's buses here, and nowhere else:
 * until the network's accounts belong to organisations, a coordinator's reach is the network, as it was.
 */
import type { Caller } from './caller';

export type BusScope = { all: true } | { all: false; busIds: ReadonlySet<string> };

const NOTHING: BusScope = { all: false, busIds: new Set() };
const EVERYTHING: BusScope = { all: true };

export function busScope(caller: Caller): BusScope {
	switch (caller.kind) {
		case 'anonymous':
			return NOTHING;
		case 'device':
			return caller.revoked ? NOTHING : { all: false, busIds: new Set([caller.busId]) };
		case 'member':
			return caller.roles.some((role) => role === 'coordinateur' || role === 'national')
				? EVERYTHING
				: NOTHING;
	}
}

export function isInScope(scope: BusScope, busId: string): boolean {
	return scope.all || scope.busIds.has(busId);
}

/** The buses of `scope` among `busIds` (all of them for a network-wide scope). */
export function filterInScope<T extends { busId: string }>(scope: BusScope, rows: readonly T[]): T[] {
	return scope.all ? [...rows] : rows.filter((row) => scope.busIds.has(row.busId));
}
