import { describe, expect, it } from 'vitest';
import { mobileSites, mobileSitesSource, toBus } from './buses';

describe('the derived list of mobile France services', () => {
	it('holds the 163 mobile sites of the 2024-08-01 list, each once', () => {
		expect(mobileSites).toHaveLength(163);
		expect(new Set(mobileSites.map((site) => site.id_fs)).size).toBe(163);
		expect(mobileSites.filter((site) => site.format_fs === 'Bus_équivalent')).toHaveLength(134);
		expect(mobileSites.filter((site) => site.format_fs === 'Itinérante')).toHaveLength(29);
	});

	it('credits the ANCT as the Licence Ouverte asks', () => {
		expect(mobileSitesSource.credit).toBe('ANCT, Liste des structures France services, 2024-08-01');
		expect(mobileSitesSource.licence).toMatch(/Licence Ouverte/);
	});

	it('gives every site coordinates inside France, overseas included', () => {
		for (const site of mobileSites) {
			expect(Math.abs(site.latitude), site.id_fs).toBeLessThan(52);
			expect(site.latitude === 0 && site.longitude === 0, site.id_fs).toBe(false);
		}
	});
});

describe('a mobile site as a bus', () => {
	const site = (id: string) => {
		const found = mobileSites.find((candidate) => candidate.id_fs === id);
		if (!found) throw new Error(`id_fs ${id} missing`);
		return found;
	};

	it('keeps its ANCT id, home commune and contact, and takes its time zone from its territory', () => {
		expect(toBus(site('2910'))).toEqual({
			id: 'fs-2910',
			anctId: '2910',
			name: 'Bus France services Grand Sud Caraïbe',
			kind: 'bus',
			departement: '971',
			territory: 'guadeloupe',
			timeZone: 'America/Guadeloupe',
			homeInsee: '97105',
			homeCommune: 'Basse-Terre',
			homePostalCode: '97100',
			homeAddress: 'rue Auguste Bebian, BP 37097100',
			latitude: 15.9963196809788,
			longitude: -61.7293147601311,
			phone: '05 90 41 57 63',
			email: 'franceservices@casbt.gp',
			takesAppointments: false
		});
	});

	it('is itinerant when the list says Itinérante, and takes appointments when it says Oui', () => {
		const itinerant = mobileSites.find((candidate) => candidate.format_fs === 'Itinérante');
		expect(itinerant && toBus(itinerant).kind).toBe('itinerant');
		expect(toBus(site('47')).takesAppointments).toBe(true);
	});

	it('maps every site to a known territory, 16 of them overseas', () => {
		const buses = mobileSites.map(toBus);
		expect(
			buses.filter((bus) => bus.territory !== 'metropole' && bus.territory !== 'alsace-moselle')
		).toHaveLength(16);
	});
});
