/**
 * The words of the referral follow-up page, in the reader's language: the statuses and the reasons of a
 * referral (the French ones match `$lib/domain/labels`). Shared by the page and its server actions.
 */
import type { ReferralReason, ReferralStatus } from '$lib/domain/referral';
import { m } from '$lib/i18n';

const STATUS_LABELS: Record<ReferralStatus, () => string> = {
	open: m.coord_ref_status_open,
	transmitted: m.coord_ref_status_transmitted,
	acknowledged: m.coord_ref_status_acknowledged,
	resolved: m.coord_ref_status_resolved,
	closed: m.coord_ref_status_closed
};

const REASON_LABELS: Record<ReferralReason, () => string> = {
	needsFileAccess: m.coord_ref_reason_needsFileAccess,
	complexSituation: m.coord_ref_reason_complexSituation,
	disputeOrAppeal: m.coord_ref_reason_disputeOrAppeal,
	paymentOrDebt: m.coord_ref_reason_paymentOrDebt,
	rightsInterrupted: m.coord_ref_reason_rightsInterrupted,
	reservedToPartner: m.coord_ref_reason_reservedToPartner,
	other: m.coord_ref_reason_other
};

export const referralStatusLabel = (status: ReferralStatus): string => STATUS_LABELS[status]();

export const referralReasonLabel = (reason: ReferralReason): string => REASON_LABELS[reason]();
