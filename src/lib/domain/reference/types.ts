import type { LocalDate } from '../calendar';

/** A France services partner (an administration or operator whose requests the advisers help with). */
export interface Partner {
	/** Stable code, stored in visits and referrals: `CAF`, `FRANCE_TRAVAIL`. */
	code: string;
	/** Short French label for buttons and lists: "Emploi". */
	label: string;
	/** Short English label, for the English switch. */
	labelEn: string;
	/** Full French name: "France Travail (ex-Pôle emploi)". */
	name: string;
	/** Year the partner joined France services, when known from a source. */
	since?: number;
}

/** A theme of request, after the ten themes of service-public.fr. */
export interface Theme {
	/** Stable code, stored in visits: `family`. */
	code: string;
	/** French label: "Famille - Scolarité". */
	label: string;
	labelEn: string;
}

/**
 * One version of the reference lists. Visits name the version they were recorded with, so a later
 * version (a partner added, a label changed) never invalidates what was recorded before.
 */
export interface ReferenceData {
	version: string;
	/** When the lists and the catalog were last checked against their sources. */
	checkedOn: LocalDate;
	partners: Partner[];
	themes: Theme[];
}

/** One common request a partner's users bring to the bus, and what to bring for it (public pages). */
export interface CatalogRequest {
	code: string;
	title: string;
	bring: string[];
	source: string;
}

export interface CatalogEntry {
	/** The partner code. */
	partner: string;
	name: string;
	label: string;
	requests: CatalogRequest[];
}
