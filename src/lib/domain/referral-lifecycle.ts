/**
 * The lifecycle of a referral: open -> transmitted -> acknowledged -> resolved, or closed from any open
 * state. Status only moves forward, whoever writes it and in whatever order writes arrive (issue 3): a
 * late "transmitted" never undoes an "acknowledged".
 */
export const REFERRAL_STATUSES = ['open', 'transmitted', 'acknowledged', 'resolved', 'closed'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/**
 * Position along the lifecycle. `resolved` and `closed` share the last rank: both are final and neither
 * follows the other; choosing between two concurrent final writes is the sync merge's decision.
 */
export function referralStatusRank(status: ReferralStatus): number {
	switch (status) {
		case 'open':
			return 0;
		case 'transmitted':
			return 1;
		case 'acknowledged':
			return 2;
		case 'resolved':
		case 'closed':
			return 3;
	}
}

export function isReferralFinal(status: ReferralStatus): boolean {
	return status === 'resolved' || status === 'closed';
}

/**
 * Whether a referral may go from `from` to `to`: forward only (skipping steps is allowed, a partner may
 * acknowledge before the transmission is recorded), `closed` from any state that is not final, and
 * nothing out of `resolved` or `closed`.
 */
export function canMoveReferral(from: ReferralStatus, to: ReferralStatus): boolean {
	if (isReferralFinal(from)) return false;
	if (to === 'closed') return true;
	return referralStatusRank(to) > referralStatusRank(from);
}
