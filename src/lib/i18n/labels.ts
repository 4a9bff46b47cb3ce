/**
 * Labels of the closed lists (outcomes, age bands, referral targets...) in the current language. French comes
 * from the domain (src/lib/domain/labels.ts, also used by reports); English is kept here. A `Record` over each
 * list: a value added to the domain without its English label does not compile.
 */
import {
	ageBandLabels,
	callbackSlotLabels,
	referralModeLabels,
	referralReasonLabels,
	referralStatusLabels,
	referralTargetLabels,
	requestOutcomeLabels,
	socialStatusLabels,
	visitChannelLabels
} from '$lib/domain/labels';
import { currentReference, findPartner, findTheme } from '$lib/domain/reference';
import type { ServiceDayReportKind, ServiceDayReportReason } from '$lib/sync/protocol';
import type { Locale } from '$lib/paraglide/runtime';

const serviceDayReportLabels: Record<ServiceDayReportKind, string> = {
	held: 'Passage tenu',
	late: 'En retard',
	cancelled: 'Annulé'
};
const serviceDayReasonLabels: Record<ServiceDayReportReason, string> = {
	breakdown: 'Panne du véhicule',
	weather: 'Intempéries',
	staff: "Absence de l'équipe",
	other: 'Autre imprévu'
};

const FRENCH = {
	channel: visitChannelLabels,
	outcome: requestOutcomeLabels,
	ageBand: ageBandLabels,
	socialStatus: socialStatusLabels,
	referralStatus: referralStatusLabels,
	referralTarget: referralTargetLabels,
	referralMode: referralModeLabels,
	referralReason: referralReasonLabels,
	callbackSlot: callbackSlotLabels,
	dayReport: serviceDayReportLabels,
	dayReason: serviceDayReasonLabels
};
type Lists = typeof FRENCH;

const ENGLISH: { [K in keyof Lists]: Record<keyof Lists[K], string> } = {
	channel: { walkIn: 'Walk-in', appointment: 'By appointment', phone: 'By phone' },
	outcome: {
		resolved: 'Resolved',
		toFinishAutonomously: 'To finish on their own',
		mustReturn: 'Must come back',
		referred: 'Referred to a partner'
	},
	ageBand: {
		under25: 'Under 25',
		from25to39: '25 to 39',
		from40to54: '40 to 54',
		from55to69: '55 to 69',
		from70: '70 and over'
	},
	socialStatus: {
		employed: 'Employee',
		selfEmployed: 'Self-employed or farmer',
		jobSeeker: 'Job seeker',
		retired: 'Retired',
		student: 'Student or in training',
		otherInactive: 'Other, not working'
	},
	referralStatus: {
		open: 'Open',
		transmitted: 'Passed on',
		acknowledged: 'Taken in charge',
		resolved: 'Resolved',
		closed: 'Closed'
	},
	referralTarget: {
		franceServicesReferent: "Partner's France services contact",
		localOffice: 'Local office',
		specialistDepartment: 'Specialist department',
		socialWorker: 'Social worker',
		otherPartnerService: 'Other partner service'
	},
	referralMode: {
		phoneHandoff: 'Handed over by phone',
		partnerPlatform: "Partner's platform",
		appointmentBooked: 'Appointment booked',
		callbackRequested: 'Partner calls back',
		videoAppointment: 'Video appointment'
	},
	referralReason: {
		needsFileAccess: 'Needs access to the file',
		complexSituation: 'Complex situation',
		disputeOrAppeal: 'Dispute or appeal',
		paymentOrDebt: 'Blocked payment or overpayment',
		rightsInterrupted: 'Rights interrupted',
		reservedToPartner: 'Reserved to the partner',
		other: 'Other reason'
	},
	callbackSlot: {
		morning: 'Morning',
		afternoon: 'Afternoon',
		evening: 'Late afternoon',
		anytime: 'Any time'
	},
	dayReport: { held: 'Stop held', late: 'Running late', cancelled: 'Cancelled' },
	dayReason: { breakdown: 'Vehicle breakdown', weather: 'Bad weather', staff: 'Crew absent', other: 'Other' }
};

/** The label of `value` in list `list`, in `locale`. */
export function labelOf<K extends keyof Lists>(list: K, value: keyof Lists[K], locale: Locale): string {
	const labels = (locale === 'en' ? ENGLISH[list] : FRENCH[list]) as Record<keyof Lists[K], string>;
	return labels[value];
}

/** The values of a list, in the order the domain defines them. */
export function valuesOf<K extends keyof Lists>(list: K): (keyof Lists[K] & string)[] {
	return Object.keys(FRENCH[list]) as (keyof Lists[K] & string)[];
}

/** A partner's short label (current reference), or its code when unknown (an older version's). */
export function partnerLabel(code: string, locale: Locale): string {
	const partner = findPartner(currentReference, code);
	return partner ? (locale === 'en' ? partner.labelEn : partner.label) : code;
}

export function themeLabel(code: string, locale: Locale): string {
	const theme = findTheme(currentReference, code);
	return theme ? (locale === 'en' ? theme.labelEn : theme.label) : code;
}
