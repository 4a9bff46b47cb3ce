/**
 * The official list of French communes (INSEE code, name, département, postal codes, population), from the
 * maintained package `@etalab/decoupage-administratif` (data of the INSEE's Code officiel géographique). It is
 * 8.6 MB of JSON: read once, on the server only, on first use; the tablets receive the communes of their
 * département(s) (`/api/open/communes/<département>.json`) and search them offline.
 *
 * Only current communes (`commune-actuelle`): a commune déléguée or associée shares its parent's INSEE
 * services and is not where a public page or a stop is filed. The package has no coordinates.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface Commune {
	/** INSEE code (not a postal code): `49007`, `2A004`. */
	insee: string;
	name: string;
	/** `49`, `2A`, `974`. */
	departement: string;
	/** At least one; the first is the commune's main postal code. */
	postalCodes: string[];
	population: number | null;
}

interface PackageCommune {
	code: string;
	nom: string;
	type: string;
	departement?: string;
	codesPostaux?: string[];
	population?: number;
}

interface CommuneIndex {
	byInsee: Map<string, Commune>;
	byDepartement: Map<string, Commune[]>;
}

let index: CommuneIndex | null = null;

function load(): CommuneIndex {
	// The package's own entry reads its files relative to the working directory: we read the data file itself.
	const require = createRequire(import.meta.url);
	const path = require.resolve('@etalab/decoupage-administratif/data/communes.json');
	const rows = JSON.parse(readFileSync(path, 'utf8')) as PackageCommune[];
	const byInsee = new Map<string, Commune>();
	const byDepartement = new Map<string, Commune[]>();
	for (const row of rows) {
		if (row.type !== 'commune-actuelle' || !row.departement) continue;
		const commune: Commune = {
			insee: row.code,
			name: row.nom,
			departement: row.departement,
			postalCodes: row.codesPostaux?.length ? [...row.codesPostaux] : [],
			population: row.population ?? null
		};
		byInsee.set(commune.insee, commune);
		const list = byDepartement.get(commune.departement) ?? [];
		list.push(commune);
		byDepartement.set(commune.departement, list);
	}
	return { byInsee, byDepartement };
}

function communeIndex(): CommuneIndex {
	index ??= load();
	return index;
}

/** The commune of an INSEE code, or null when it is not a current commune. */
export function findCommune(insee: string): Commune | null {
	return communeIndex().byInsee.get(insee) ?? null;
}

/** The current communes of a département (`49`, `2A`, `974`), in the list's order (INSEE code); [] if none. */
export function communesOfDepartement(departement: string): readonly Commune[] {
	return communeIndex().byDepartement.get(departement) ?? [];
}

export { departementOfInsee } from '$lib/sync/communes';
