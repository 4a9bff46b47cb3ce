import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { isLocalDate } from './calendar';
import {
	catalogRequestsOf,
	currentReference,
	findPartner,
	findReference,
	findTheme,
	partnerCatalog,
	referenceVersions
} from './reference';
import { PartnerCodeSchema, ReferenceVersionSchema, ThemeCodeSchema } from './validation';

describe('reference data', () => {
	it('publishes the current version among the versions, each version once, with a check date', () => {
		expect(referenceVersions).toContain(currentReference);
		const versions = referenceVersions.map((reference) => reference.version);
		expect(new Set(versions).size).toBe(versions.length);
		for (const reference of referenceVersions) {
			expect(v.is(ReferenceVersionSchema, reference.version)).toBe(true);
			expect(isLocalDate(reference.checkedOn)).toBe(true);
		}
		expect(findReference(currentReference.version)).toBe(currentReference);
		expect(findReference('1999-01')).toBeUndefined();
	});

	it('holds the eleven partners of the catalog, with the same codes, names and labels', () => {
		expect(
			currentReference.partners.map(({ code, name, label }) => ({ partner: code, name, label }))
		).toEqual(partnerCatalog.map(({ partner, name, label }) => ({ partner, name, label })));
		expect(currentReference.partners).toHaveLength(11);
	});

	it('holds the ten service-public.fr themes with French and English labels', () => {
		expect(currentReference.themes.map((theme) => theme.code)).toEqual([
			'papersCitizenship',
			'family',
			'socialHealth',
			'workTraining',
			'housing',
			'transport',
			'moneyTaxes',
			'justice',
			'foreigners',
			'leisure'
		]);
		for (const theme of currentReference.themes) {
			expect(theme.label.length, theme.code).toBeGreaterThan(0);
			expect(theme.labelEn.length, theme.code).toBeGreaterThan(0);
		}
		expect(findTheme(currentReference, 'family')?.label).toBe('Famille - Scolarité');
	});

	it('uses codes that the visit and referral schemas accept, once each', () => {
		for (const reference of referenceVersions) {
			const partnerCodes = reference.partners.map((partner) => partner.code);
			const themeCodes = reference.themes.map((theme) => theme.code);
			expect(new Set(partnerCodes).size).toBe(partnerCodes.length);
			expect(new Set(themeCodes).size).toBe(themeCodes.length);
			for (const code of partnerCodes) expect(v.is(PartnerCodeSchema, code), code).toBe(true);
			for (const code of themeCodes) expect(v.is(ThemeCodeSchema, code), code).toBe(true);
		}
	});

	it('finds a partner by code in a given version', () => {
		expect(findPartner(currentReference, 'FRANCE_TRAVAIL')?.label).toBe('Emploi');
		expect(findPartner(currentReference, 'ANTS')).toBeUndefined();
	});

	it('keeps every request of the catalog reachable with what to bring and a source', () => {
		const requests = partnerCatalog.flatMap((entry) => entry.requests);
		expect(requests.length).toBeGreaterThanOrEqual(40);
		const codes = requests.map((request) => request.code);
		expect(new Set(codes).size).toBe(codes.length);
		for (const request of requests) {
			expect(request.bring.length, request.code).toBeGreaterThan(0);
			expect(request.source, request.code).toMatch(/^https:\/\//);
		}
		expect(catalogRequestsOf('DGFIP').map((request) => request.code)).toContain('declarer-revenus');
		expect(catalogRequestsOf('UNKNOWN')).toEqual([]);
	});
});
