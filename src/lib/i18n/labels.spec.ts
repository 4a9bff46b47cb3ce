import { describe, expect, it } from 'vitest';
import { statusAfterReport } from '$lib/sync/service-day-report';
import { currentReference } from '$lib/domain/reference';
import { SERVICE_DAY_REPORT_REASONS } from '$lib/domain/schedule';
import { cancellationReasonLabel, labelOf, partnerLabel, referralStatusLabel, valuesOf } from './labels';

const LISTS = [
	'channel',
	'outcome',
	'ageBand',
	'socialStatus',
	'referralStatus',
	'referralTarget',
	'referralMode',
	'referralReason',
	'callbackSlot',
	'dayStatus',
	'dayReport',
	'dayReason'
] as const;

describe('labels of the closed lists', () => {
	it('gives every value of every list a word in each language, distinct within the list', () => {
		for (const list of LISTS) {
			for (const locale of ['fr', 'en'] as const) {
				const words = valuesOf(list).map((value) => labelOf(list, value as never, locale));
				expect(words.every((word) => word.length > 0)).toBe(true);
				expect(new Set(words).size).toBe(words.length);
			}
		}
	});

	it('says one cancellation vocabulary: the crew choice and the public status use the same words', () => {
		expect(cancellationReasonLabel('other', 'fr')).toBe('Imprévu');
		for (const reason of SERVICE_DAY_REPORT_REASONS) {
			expect(statusAfterReport({ report: 'cancelled', reason }).reason).toBe(
				cancellationReasonLabel(reason, 'fr')
			);
		}
	});

	it('names a referral status the same way by its own function and by list name', () => {
		expect(referralStatusLabel('acknowledged', 'fr')).toBe('Prise en charge');
		expect(labelOf('referralStatus', 'acknowledged', 'en')).toBe(referralStatusLabel('acknowledged', 'en'));
	});

	it("labels a partner from its record's reference version, or its code when unknown", () => {
		expect(partnerLabel('DGFIP', 'fr', currentReference.version)).toBe('Impôts');
		expect(partnerLabel('DGFIP', 'en')).toBe('Taxes');
		expect(partnerLabel('DGFIP', 'fr', 'no-such-version')).toBe('Impôts');
		expect(partnerLabel('unknown-partner', 'fr')).toBe('unknown-partner');
	});
});
