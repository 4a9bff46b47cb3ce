import { describe, expect, it } from 'vitest';
import {
	REFERRAL_STATUSES,
	canMoveReferral,
	isReferralFinal,
	referralStatusRank
} from './referral-lifecycle';

describe('the referral lifecycle', () => {
	it('moves forward, one step or several', () => {
		expect(canMoveReferral('open', 'transmitted')).toBe(true);
		expect(canMoveReferral('transmitted', 'acknowledged')).toBe(true);
		expect(canMoveReferral('acknowledged', 'resolved')).toBe(true);
		expect(canMoveReferral('open', 'acknowledged')).toBe(true);
		expect(canMoveReferral('open', 'resolved')).toBe(true);
	});

	it('never moves backwards nor stays in place', () => {
		expect(canMoveReferral('acknowledged', 'transmitted')).toBe(false);
		expect(canMoveReferral('transmitted', 'open')).toBe(false);
		expect(canMoveReferral('open', 'open')).toBe(false);
	});

	it('closes from any state that is not final', () => {
		for (const from of ['open', 'transmitted', 'acknowledged'] as const) {
			expect(canMoveReferral(from, 'closed'), from).toBe(true);
		}
	});

	it('leaves resolved and closed referrals as they are', () => {
		for (const to of REFERRAL_STATUSES) {
			expect(canMoveReferral('resolved', to), `resolved -> ${to}`).toBe(false);
			expect(canMoveReferral('closed', to), `closed -> ${to}`).toBe(false);
		}
		expect(REFERRAL_STATUSES.filter(isReferralFinal)).toEqual(['resolved', 'closed']);
	});

	it('ranks statuses along the lifecycle, the two final ones last', () => {
		expect(REFERRAL_STATUSES.map(referralStatusRank)).toEqual([0, 1, 2, 3, 3]);
	});
});
