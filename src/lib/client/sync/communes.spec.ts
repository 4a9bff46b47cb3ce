import { describe, expect, it } from 'vitest';
import { findHeldCommune, heldDepartements } from '$lib/client/db/communes';
import { setMeta } from '$lib/client/db/meta';
import { openTestDb } from '$lib/client/db/testing';
import { makeBus } from '$factories/bus';
import { makeStop } from '$factories/schedule';
import { refreshCommunes } from './communes';

async function tablet() {
	const db = openTestDb();
	await db.buses.add(makeBus({ id: 'fs-1', departement: '23' }));
	// A stop over the border, in the Indre.
	await db.stops.add(makeStop({ id: 'fs-1-deols', insee: '36063' }));
	await setMeta(db, 'device.busId', 'fs-1');
	return db;
}

function server(answers: Record<string, unknown>) {
	const asked: string[] = [];
	const fetch = async (input: string) => {
		asked.push(input);
		const body = answers[input];
		if (body === undefined) throw new TypeError('Failed to fetch');
		return new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });
	};
	return { asked, fetch };
}

const CREUSE = { departement: '23', items: [{ insee: '23096', name: 'Guéret', postalCodes: ['23000'] }] };
const INDRE = { departement: '36', items: [{ insee: '36063', name: 'Déols', postalCodes: ['36130'] }] };

describe('refreshCommunes', () => {
	it('fetches the départements of the bus and of its stops once, then keeps them', async () => {
		const db = await tablet();
		const { asked, fetch } = server({
			'/api/open/communes/23.json': CREUSE,
			'/api/open/communes/36.json': INDRE
		});
		expect(await refreshCommunes(db, fetch)).toEqual(['23', '36']);
		expect((await findHeldCommune(db, '36063'))?.name).toBe('Déols');
		expect(await refreshCommunes(db, fetch)).toEqual([]);
		expect(asked).toHaveLength(2);
	});

	it('keeps what it has when offline or answered nonsense, and tries again next time', async () => {
		const db = await tablet();
		const { fetch } = server({
			'/api/open/communes/23.json': CREUSE,
			'/api/open/communes/36.json': { departement: '36', items: [{ insee: 'Jean Dupont' }] }
		});
		expect(await refreshCommunes(db, fetch)).toEqual(['23']);
		expect(await heldDepartements(db)).toEqual(['23']);
		expect(await refreshCommunes(db, server({}).fetch)).toEqual([]);
		expect(await refreshCommunes(db, server({ '/api/open/communes/36.json': INDRE }).fetch)).toEqual(['36']);
	});
});
