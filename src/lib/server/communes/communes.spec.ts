import { describe, expect, it } from 'vitest';
import { communesOfDepartement, departementOfInsee, findCommune } from './communes';

describe('the official list of communes', () => {
	it('finds a commune by its INSEE code, with its postal codes', () => {
		expect(findCommune('49007')).toMatchObject({ insee: '49007', name: 'Angers', departement: '49' });
		expect(findCommune('49007')?.postalCodes).toContain('49000');
	});

	it('knows Corsican and overseas codes, and nothing that is not a current commune', () => {
		expect(findCommune('2A004')?.name).toBe('Ajaccio');
		expect(findCommune('97411')?.departement).toBe('974');
		expect(findCommune('00000')).toBeNull();
		expect(findCommune('49000')).toBeNull();
	});

	it('lists a département’s communes', () => {
		const maineEtLoire = communesOfDepartement('49');
		expect(maineEtLoire.length).toBeGreaterThan(150);
		expect(maineEtLoire.every((commune) => commune.departement === '49')).toBe(true);
		expect(communesOfDepartement('00')).toEqual([]);
	});

	it('reads the département of an INSEE code', () => {
		expect(departementOfInsee('49007')).toBe('49');
		expect(departementOfInsee('2A004')).toBe('2A');
		expect(departementOfInsee('97411')).toBe('974');
	});
});

describe('GET /api/open/communes/<département>.json', () => {
	it('answers a département’s communes in the shape tablets keep', async () => {
		const { handleCommunesOfDepartement } = await import('./http');
		const { CommunesResponseSchema } = await import('$lib/sync/communes');
		const { parse } = await import('valibot');
		const response = handleCommunesOfDepartement('36');
		expect(response.status).toBe(200);
		const body = parse(CommunesResponseSchema, await response.json());
		expect(body.items.find((commune) => commune.insee === '36063')).toEqual({
			insee: '36063',
			name: 'Déols',
			postalCodes: ['36130']
		});
	});

	it('answers 404 for what is not a département', async () => {
		const { handleCommunesOfDepartement } = await import('./http');
		expect(handleCommunesOfDepartement('99').status).toBe(404);
		expect(handleCommunesOfDepartement('../x').status).toBe(404);
	});
});
