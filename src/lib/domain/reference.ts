/**
 * Partners and themes are versioned reference data, not enums: the list grew from 9 founding partners
 * to 11 by 2024 and will change again. A visit names the version it was recorded with; codes are checked
 * against that version, so older records stay valid after a change.
 *
 * To publish a new version: add a `ReferenceData` to `referenceVersions` (never edit a published one),
 * keep every code that older visits may use, and point `currentReference` at it.
 */
import type { LocalDate } from './calendar';
import { PARTNERS_2026 } from './reference/partners';
import { THEMES_2026 } from './reference/themes';
import type { Partner, ReferenceData, Theme } from './reference/types';

export type { CatalogEntry, CatalogRequest, Partner, ReferenceData, Theme } from './reference/types';
export { catalogRequestsOf, partnerCatalog } from './reference/catalog';

/**
 * The day the catalog entered Escale. Its own header says only that it was written from stored copies of
 * public pages dated 2017 to 2026 ("late 2026", shared/data/README.md), none consulted live, with amounts
 * and dates to re-check every year.
 */
const CHECKED_ON_2026_11: LocalDate = '2026-11-27';

const REFERENCE_2026_11: ReferenceData = {
	version: '2026-11',
	checkedOn: CHECKED_ON_2026_11,
	partners: PARTNERS_2026,
	themes: THEMES_2026
};

/** Every published version, oldest first. */
export const referenceVersions: readonly ReferenceData[] = [REFERENCE_2026_11];

export const currentReference: ReferenceData = REFERENCE_2026_11;

export function findReference(version: string): ReferenceData | undefined {
	return referenceVersions.find((reference) => reference.version === version);
}

export function findPartner(reference: ReferenceData, code: string): Partner | undefined {
	return reference.partners.find((partner) => partner.code === code);
}

export function findTheme(reference: ReferenceData, code: string): Theme | undefined {
	return reference.themes.find((theme) => theme.code === code);
}
