/**
 * A plausible mainland bus for tests: only what a test cares about is passed in, the rest stays out of its
 * way. Shared by the client, server, sync and bench suites.
 */
import type { Bus } from '$lib/domain/schedule';

export function makeBus(overrides: Partial<Bus> & Pick<Bus, 'id'>): Bus {
	return {
		anctId: overrides.id.replace(/\D/g, '') || '1',
		name: `Bus ${overrides.id}`,
		kind: 'bus',
		departement: '36',
		territory: 'metropole',
		timeZone: 'Europe/Paris',
		homeInsee: '36044',
		homeCommune: 'Châteauroux',
		homePostalCode: '36000',
		homeAddress: '1 place de la Gare',
		latitude: 46.81,
		longitude: 1.69,
		phone: null,
		email: null,
		takesAppointments: false,
		...overrides
	};
}
