/**
 * The communes a tablet keeps to pick an off-plan stop's commune offline: the answer of
 * `GET /api/open/communes/<département>.json` (src/lib/server/communes/http.ts), read leniently (a newer server
 * may add fields), each commune checked.
 */
import * as v from 'valibot';
import { InseeCodeSchema } from '$lib/domain/visit';

export const CommuneRefSchema = v.object({
	insee: InseeCodeSchema,
	name: v.pipe(v.string(), v.minLength(1), v.maxLength(80)),
	postalCodes: v.array(v.pipe(v.string(), v.regex(/^\d{5}$/)))
});
export type CommuneRef = v.InferOutput<typeof CommuneRefSchema>;

export const CommunesResponseSchema = v.object({
	departement: v.string(),
	items: v.array(CommuneRefSchema)
});

/** The département of a commune's INSEE code: 3 characters overseas (`974`), else 2 (`49`, `2A`). */
export function departementOfInsee(insee: string): string {
	return insee.startsWith('97') ? insee.slice(0, 3) : insee.slice(0, 2);
}

/** The address a tablet fetches a département's communes from. */
export function communesPath(departement: string): string {
	return `/api/open/communes/${encodeURIComponent(departement)}.json`;
}
