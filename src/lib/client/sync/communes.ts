/**
 * Keeps on the tablet the official communes of the départements it works in: its bus's and its stops'. A
 * département is fetched once (`GET /api/open/communes/<département>.json`), then kept: the list changes once a
 * year. Runs after enrollment and after each sync; a failure (offline, a bad answer) keeps what is held and is
 * tried again next time. Never blocks a sync: it is not the crew's data.
 */
import * as v from 'valibot';
import { heldDepartements, saveCommunes } from '$lib/client/db/communes';
import { getMeta } from '$lib/client/db/meta';
import { getBus, listStops } from '$lib/client/db/schedule';
import type { EscaleDb } from '$lib/client/db/schema';
import { CommunesResponseSchema, communesPath, departementOfInsee } from '$lib/sync/communes';
import type { FetchLike } from './transport';

const TIMEOUT_MS = 30_000;

/** The départements the tablet needs: its bus's and those of its stops. */
export async function neededDepartements(db: EscaleDb): Promise<string[]> {
	const busId = await getMeta(db, 'device.busId');
	const bus = busId ? await getBus(db, busId) : undefined;
	if (!bus) return [];
	const stops = await listStops(db, bus.id);
	return [...new Set([bus.departement, ...stops.map((stop) => departementOfInsee(stop.insee))])].sort();
}

/** Fetches the départements the tablet needs and does not hold; returns those it got. */
export async function refreshCommunes(db: EscaleDb, fetch: FetchLike, baseUrl = ''): Promise<string[]> {
	const held = new Set(await heldDepartements(db));
	const missing = (await neededDepartements(db)).filter((departement) => !held.has(departement));
	const fetched: string[] = [];
	for (const departement of missing) {
		try {
			const response = await fetch(`${baseUrl}${communesPath(departement)}`, {
				method: 'GET',
				headers: { Accept: 'application/json' },
				signal: AbortSignal.timeout(TIMEOUT_MS)
			});
			if (!response.ok) continue;
			const parsed = v.safeParse(CommunesResponseSchema, await response.json());
			if (!parsed.success || parsed.output.departement !== departement) continue;
			await saveCommunes(db, departement, parsed.output.items);
			fetched.push(departement);
		} catch {
			// Offline or cut short: what is held stays, the next sync tries again.
		}
	}
	return fetched;
}
