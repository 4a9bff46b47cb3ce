/**
 * GET /api/open/communes/<département>.json: the current communes of one département, for a tablet to keep and
 * search offline (the crew picks the commune of an off-plan stop) and for anyone else: it is the INSEE's open
 * list. Long cache: the list changes once a year (1 January).
 */
import { communesOfDepartement } from './communes';

/** `01`…`95`, `2A`, `2B`, `971`…`976`. */
const DEPARTEMENT = /^(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])$/;

export const COMMUNES_SOURCE =
	'INSEE, Code officiel géographique, par @etalab/decoupage-administratif (Licence Ouverte 2.0)';

function json(status: number, body: unknown, cache: string): Response {
	return new Response(JSON.stringify(body), {
		status,
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Cache-Control': cache,
			'Access-Control-Allow-Origin': '*'
		}
	});
}

export function handleCommunesOfDepartement(departement: string): Response {
	if (!DEPARTEMENT.test(departement)) {
		return json(
			404,
			{ error: { code: 'not_found', message: 'Département inconnu (ex. 36, 2A, 974)' } },
			'no-store'
		);
	}
	const items = communesOfDepartement(departement).map(({ insee, name, postalCodes }) => ({
		insee,
		name,
		postalCodes
	}));
	return json(
		200,
		{ source: COMMUNES_SOURCE, departement, count: items.length, items },
		'public, max-age=86400'
	);
}
