/**
 * The one home of the words of every closed list (outcomes, age bands, referral statuses, cancellation
 * reasons...): the domain owns the lists (`as const` arrays in visit.ts, referral.ts, referral-lifecycle.ts,
 * schedule.ts), the Paraglide messages (`label_<list>_<value>` in messages/*.json) own the words, and this module
 * joins them, one function per list. A `Record` over each list: a value added to the domain without its message
 * does not compile. `locale` defaults to the reader's; the public words a server stores pass 'fr'.
 */
import { currentReference, findPartner, findReference, findTheme } from '$lib/domain/reference';
import {
	CALLBACK_SLOTS,
	REFERRAL_MODES,
	REFERRAL_REASONS,
	REFERRAL_TARGETS,
	type CallbackSlot,
	type ReferralMode,
	type ReferralReason,
	type ReferralTarget
} from '$lib/domain/referral';
import { REFERRAL_STATUSES, type ReferralStatus } from '$lib/domain/referral-lifecycle';
import {
	SERVICE_DAY_REPORTS,
	SERVICE_DAY_REPORT_REASONS,
	SERVICE_DAY_STATUSES,
	type ServiceDayReportKind,
	type ServiceDayReportReason
} from '$lib/domain/schedule';
import {
	AGE_BANDS,
	REQUEST_OUTCOMES,
	SOCIAL_STATUSES,
	VISIT_CHANNELS,
	type AgeBand,
	type RequestOutcome,
	type SocialStatus,
	type VisitChannel
} from '$lib/domain/visit';
import { m } from '$lib/paraglide/messages';
import { getLocale, type Locale } from '$lib/paraglide/runtime';

import { say } from './say';
import { offPlanLabel, serviceDayStatusLabel } from './service-day-labels';

export { offPlanLabel, serviceDayStatusLabel };

export const visitChannelLabel = say<VisitChannel>({
	walkIn: m.label_channel_walkIn,
	appointment: m.label_channel_appointment,
	phone: m.label_channel_phone
});

export const requestOutcomeLabel = say<RequestOutcome>({
	resolved: m.label_outcome_resolved,
	toFinishAutonomously: m.label_outcome_toFinishAutonomously,
	mustReturn: m.label_outcome_mustReturn,
	referred: m.label_outcome_referred
});

export const ageBandLabel = say<AgeBand>({
	under25: m.label_age_band_under25,
	from25to39: m.label_age_band_from25to39,
	from40to54: m.label_age_band_from40to54,
	from55to69: m.label_age_band_from55to69,
	from70: m.label_age_band_from70
});

export const socialStatusLabel = say<SocialStatus>({
	employed: m.label_social_status_employed,
	selfEmployed: m.label_social_status_selfEmployed,
	jobSeeker: m.label_social_status_jobSeeker,
	retired: m.label_social_status_retired,
	student: m.label_social_status_student,
	otherInactive: m.label_social_status_otherInactive
});

export const referralStatusLabel = say<ReferralStatus>({
	open: m.label_referral_status_open,
	transmitted: m.label_referral_status_transmitted,
	acknowledged: m.label_referral_status_acknowledged,
	resolved: m.label_referral_status_resolved,
	closed: m.label_referral_status_closed
});

export const referralTargetLabel = say<ReferralTarget>({
	franceServicesReferent: m.label_referral_target_franceServicesReferent,
	localOffice: m.label_referral_target_localOffice,
	specialistDepartment: m.label_referral_target_specialistDepartment,
	socialWorker: m.label_referral_target_socialWorker,
	otherPartnerService: m.label_referral_target_otherPartnerService
});

export const referralModeLabel = say<ReferralMode>({
	phoneHandoff: m.label_referral_mode_phoneHandoff,
	partnerPlatform: m.label_referral_mode_partnerPlatform,
	appointmentBooked: m.label_referral_mode_appointmentBooked,
	callbackRequested: m.label_referral_mode_callbackRequested,
	videoAppointment: m.label_referral_mode_videoAppointment
});

export const referralReasonLabel = say<ReferralReason>({
	needsFileAccess: m.label_referral_reason_needsFileAccess,
	complexSituation: m.label_referral_reason_complexSituation,
	disputeOrAppeal: m.label_referral_reason_disputeOrAppeal,
	paymentOrDebt: m.label_referral_reason_paymentOrDebt,
	rightsInterrupted: m.label_referral_reason_rightsInterrupted,
	reservedToPartner: m.label_referral_reason_reservedToPartner,
	other: m.label_referral_reason_other
});

export const callbackSlotLabel = say<CallbackSlot>({
	morning: m.label_callback_slot_morning,
	afternoon: m.label_callback_slot_afternoon,
	evening: m.label_callback_slot_evening,
	anytime: m.label_callback_slot_anytime
});

export const serviceDayReportLabel = say<ServiceDayReportKind>({
	held: m.label_day_report_held,
	late: m.label_day_report_late,
	cancelled: m.label_day_report_cancelled
});

/**
 * The one cancellation vocabulary: the crew's choices, the tablet's day, the server's public status and the
 * public pages all say these words (French "Imprévu" for `other`, everywhere).
 */
export const cancellationReasonLabel = say<ServiceDayReportReason>({
	breakdown: m.label_cancellation_reason_breakdown,
	weather: m.label_cancellation_reason_weather,
	staff: m.label_cancellation_reason_staff,
	other: m.label_cancellation_reason_other
});

/** Each list by its name, for screens that walk a list generically: its values (domain order) and its words. */
const LISTS = {
	channel: [VISIT_CHANNELS, visitChannelLabel],
	outcome: [REQUEST_OUTCOMES, requestOutcomeLabel],
	ageBand: [AGE_BANDS, ageBandLabel],
	socialStatus: [SOCIAL_STATUSES, socialStatusLabel],
	referralStatus: [REFERRAL_STATUSES, referralStatusLabel],
	referralTarget: [REFERRAL_TARGETS, referralTargetLabel],
	referralMode: [REFERRAL_MODES, referralModeLabel],
	referralReason: [REFERRAL_REASONS, referralReasonLabel],
	callbackSlot: [CALLBACK_SLOTS, callbackSlotLabel],
	dayStatus: [SERVICE_DAY_STATUSES, serviceDayStatusLabel],
	dayReport: [SERVICE_DAY_REPORTS, serviceDayReportLabel],
	dayReason: [SERVICE_DAY_REPORT_REASONS, cancellationReasonLabel]
} as const;
type Lists = typeof LISTS;
type ValueOf<K extends keyof Lists> = Lists[K][0][number];

/** The label of `value` in list `list` (the same words as the list's own function). */
export function labelOf<K extends keyof Lists>(
	list: K,
	value: ValueOf<K>,
	locale: Locale = getLocale()
): string {
	const label = LISTS[list][1] as (value: ValueOf<K>, locale: Locale) => string;
	return label(value, locale);
}

/** The values of a list, in the order the domain defines them. */
export function valuesOf<K extends keyof Lists>(list: K): ValueOf<K>[] {
	return [...LISTS[list][0]];
}

/**
 * A partner's short label: from the reference version a record was made with when it is given and known, from
 * the current reference otherwise (partner codes are stable across versions); its code when neither knows it.
 */
export function partnerLabel(code: string, locale: Locale = getLocale(), referenceVersion?: string): string {
	const reference = (referenceVersion && findReference(referenceVersion)) || currentReference;
	const partner = findPartner(reference, code);
	return partner ? (locale === 'en' ? partner.labelEn : partner.label) : code;
}

/** A theme's label (current reference), or its code when unknown (an older version's). */
export function themeLabel(code: string, locale: Locale = getLocale()): string {
	const theme = findTheme(currentReference, code);
	return theme ? (locale === 'en' ? theme.labelEn : theme.label) : code;
}
