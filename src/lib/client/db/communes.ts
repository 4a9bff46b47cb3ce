/**
 * The official communes the tablet keeps (the départements of its bus and of its stops), so the crew can pick
 * an off-plan stop's commune offline. One meta row, by département: a département is 30 to 70 KB.
 * Searched with the public search's rules (domain/place-search.ts): accents, "St", a postal code, one slip.
 */
import { placeScore, readPlaceQuery } from '$lib/domain/place-search';
import type { CommuneRef } from '$lib/sync/communes';
import { getMeta, setMeta } from './meta';
import type { EscaleDb } from './schema';

export type { CommuneRef };

/** The départements whose communes the tablet holds. */
export async function heldDepartements(db: EscaleDb): Promise<string[]> {
	return Object.keys((await getMeta(db, 'reference.communes')) ?? {});
}

/** Keeps (or replaces) one département's communes. */
export async function saveCommunes(
	db: EscaleDb,
	departement: string,
	communes: readonly CommuneRef[]
): Promise<void> {
	// Read and write in one transaction: two départements saved at once must both stay.
	await db.transaction('rw', db.meta, async () => {
		const held = (await getMeta(db, 'reference.communes')) ?? {};
		await setMeta(db, 'reference.communes', { ...held, [departement]: [...communes] });
	});
}

/** The commune of an INSEE code among those the tablet holds, or null. */
export async function findHeldCommune(db: EscaleDb, insee: string): Promise<CommuneRef | null> {
	const held = (await getMeta(db, 'reference.communes')) ?? {};
	for (const communes of Object.values(held)) {
		const found = communes.find((commune) => commune.insee === insee);
		if (found) return found;
	}
	return null;
}

/** The held communes that answer a typed name or postal code, best first (at most `limit`). */
export async function searchHeldCommunes(db: EscaleDb, input: string, limit = 8): Promise<CommuneRef[]> {
	const query = readPlaceQuery(input);
	if (!query) return [];
	const held = (await getMeta(db, 'reference.communes')) ?? {};
	const scored: { commune: CommuneRef; score: number }[] = [];
	for (const communes of Object.values(held)) {
		for (const commune of communes) {
			const score = Math.max(
				0,
				...(commune.postalCodes.length ? commune.postalCodes : ['']).map((postalCode) =>
					placeScore(query, { name: commune.name, postalCode })
				)
			);
			if (score > 0) scored.push({ commune, score });
		}
	}
	return scored
		.sort((a, b) => b.score - a.score || a.commune.name.localeCompare(b.commune.name, 'fr'))
		.slice(0, limit)
		.map(({ commune }) => commune);
}
