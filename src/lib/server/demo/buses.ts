/**
 * The 163 mobile France services of the national list, as Escale buses. The JSON is derived from the
 * ANCT's list by scripts/derive-demo-data.js and ships in the repository: the app never reads ../shared.
 */
import type { Bus } from '$lib/domain/schedule';
import { territoryOfDepartement, timeZoneOf } from '$lib/domain/territory';
import file from './data/mobile-france-services.json';

/** One row of the derived JSON (the national list's column names, kept so it can be checked against it). */
export interface MobileSite {
	id_fs: string;
	insee_dep: string;
	lib_fs: string;
	adresse: string;
	complement_adresse: string | null;
	insee_com: string;
	code_postal: string;
	lib_com: string;
	telephone: string | null;
	mail: string | null;
	prise_rdv: string;
	format_fs: string;
	h_lundi: string | null;
	h_mardi: string | null;
	h_mercredi: string | null;
	h_jeudi: string | null;
	h_vendredi: string | null;
	h_samedi: string | null;
	commentaire: string | null;
	latitude: number;
	longitude: number;
}

export interface MobileSitesSource {
	/** The attribution the Licence Ouverte 2.0 requires, to show wherever the data is shown. */
	credit: string;
	publisher: string;
	title: string;
	date: string;
	licence: string;
	licenceUrl: string;
	derivation: string;
}

const data = file as { source: MobileSitesSource; sites: MobileSite[] };

export const mobileSitesSource: MobileSitesSource = data.source;
export const mobileSites: readonly MobileSite[] = data.sites;

export const busIdOf = (anctId: string): string => `fs-${anctId}`;

export function toBus(site: MobileSite): Bus {
	const territory = territoryOfDepartement(site.insee_dep);
	return {
		id: busIdOf(site.id_fs),
		anctId: site.id_fs,
		name: site.lib_fs,
		kind: site.format_fs === 'Itinérante' ? 'itinerant' : 'bus',
		departement: site.insee_dep,
		territory,
		timeZone: timeZoneOf(territory),
		homeInsee: site.insee_com,
		homeCommune: site.lib_com,
		homePostalCode: site.code_postal,
		homeAddress: [site.adresse, site.complement_adresse].filter(Boolean).join(', '),
		latitude: site.latitude,
		longitude: site.longitude,
		phone: site.telephone,
		email: site.mail,
		takesAppointments: site.prise_rdv === 'Oui'
	};
}
