import catalog from './data/partners-catalog.json';
import type { CatalogEntry, CatalogRequest } from './types';

/**
 * The catalog of common requests per partner and what to bring for each (plain French, each with its
 * source), copied from the project's shared data so the app never reads outside the repository. Kept in
 * its own module: only the pages that show it pay for its weight.
 */
export const partnerCatalog: readonly CatalogEntry[] = catalog;

/** The common requests of a partner, with their "bring" lists; empty for an unknown code. */
export function catalogRequestsOf(partnerCode: string): readonly CatalogRequest[] {
	return partnerCatalog.find((entry) => entry.partner === partnerCode)?.requests ?? [];
}
