/**
 * The check-in form's model, without the DOM: what the crew picks (closed lists only, never free text),
 * and how it becomes a visit and its referrals. The screen binds to these plain objects; this module turns
 * them into records the domain validates. Only a referral's contact takes typed text, and only once the
 * person's consent is ticked: without consent, no contact field exists in the record at all.
 */
import { addDays, type LocalDate } from '$lib/domain/calendar';
import type { CallbackSlot, ReferralMode, ReferralReason, ReferralTarget } from '$lib/domain/referral';
import { currentReference } from '$lib/domain/reference';
import type { AgeBand, RequestOutcome, SocialStatus, Visit, VisitChannel } from '$lib/domain/visit';

/** The referral part of a referred request. */
export interface ReferralDraft {
	target: ReferralTarget;
	mode: ReferralMode;
	reason: ReferralReason;
	dueDate: LocalDate;
	consent: boolean;
	phone: string;
	email: string;
	callbackSlot: CallbackSlot | '';
}

export interface RequestDraft {
	/** Local key for the screen's list (not stored). */
	key: number;
	partner: string;
	theme: string;
	outcome: RequestOutcome;
	onlineProcedure: boolean;
	aidantsConnect: boolean;
	referral: ReferralDraft;
}

export interface CheckInDraft {
	channel: VisitChannel;
	requests: RequestDraft[];
	durationMinutes: number | null;
	ageBand: AgeBand | '';
	socialStatus: SocialStatus | '';
	residenceInsee: string;
}

/** What the form starts from: the last choices of this tablet, or sensible defaults. */
export interface DraftDefaults {
	channel: VisitChannel;
	partner: string;
	theme: string;
	outcome: RequestOutcome;
}

/**
 * One partner or theme tile of the form. The tiles always keep the reference's order, whatever was chosen
 * before, so the crew's hand learns where each one is; the previous visit's choice is marked (`last`), not moved.
 */
export interface ChoiceTile {
	code: string;
	last: boolean;
}

/** The partners' tiles in the reference's order, `lastPartner` marked. */
export function partnerTiles(lastPartner: string): ChoiceTile[] {
	return currentReference.partners.map(({ code }) => ({ code, last: code === lastPartner }));
}

/** The themes' tiles in the reference's order, `lastTheme` marked. */
export function themeTiles(lastTheme: string): ChoiceTile[] {
	return currentReference.themes.map(({ code }) => ({ code, last: code === lastTheme }));
}

/** A referral is due a week later by default: the partners' usual answer time for a handoff. */
export const DEFAULT_DUE_IN_DAYS = 7;

let nextKey = 1;

export function newReferralDraft(today: LocalDate): ReferralDraft {
	return {
		target: 'franceServicesReferent',
		mode: 'phoneHandoff',
		reason: 'needsFileAccess',
		dueDate: addDays(today, DEFAULT_DUE_IN_DAYS),
		consent: false,
		phone: '',
		email: '',
		callbackSlot: ''
	};
}

export function newRequestDraft(defaults: DraftDefaults, today: LocalDate): RequestDraft {
	return {
		key: nextKey++,
		partner: defaults.partner,
		theme: defaults.theme,
		outcome: defaults.outcome,
		onlineProcedure: false,
		aidantsConnect: false,
		referral: newReferralDraft(today)
	};
}

export function newCheckInDraft(defaults: DraftDefaults, today: LocalDate): CheckInDraft {
	return {
		channel: defaults.channel,
		requests: [newRequestDraft(defaults, today)],
		durationMinutes: null,
		ageBand: '',
		socialStatus: '',
		residenceInsee: ''
	};
}

/** A draft that starts from a recorded visit, to correct it (its referrals are not re-created). */
export function draftFromVisit(visit: Visit, today: LocalDate): CheckInDraft {
	return {
		channel: visit.channel,
		requests: visit.requests.map((request) => ({
			key: nextKey++,
			partner: request.partner,
			theme: request.theme,
			outcome: request.outcome,
			onlineProcedure: request.onlineProcedure ?? false,
			aidantsConnect: request.aidantsConnect ?? false,
			referral: newReferralDraft(today)
		})),
		durationMinutes: visit.durationMinutes ?? null,
		ageBand: visit.ageBand ?? '',
		socialStatus: visit.socialStatus ?? '',
		residenceInsee: visit.residenceInsee ?? ''
	};
}

/**
 * What the crew entered, for comparing two drafts: the same text for the same answers, whatever the requests'
 * screen keys. A draft differing from the one the form started from holds a visitor half filled in.
 */
export function draftAnswers(draft: CheckInDraft): string {
	return JSON.stringify({ ...draft, requests: draft.requests.map(({ key: _key, ...answers }) => answers) });
}

export interface CheckInContext {
	busId: string;
	serviceDayId: string;
	now: Date;
	newId: () => string;
	/** Set when the draft corrects a visit: no referral is created again (they already exist). */
	correctionOf?: string;
}

/**
 * The visit and referrals the draft describes, as plain objects for the repositories to validate. Optional
 * fields left empty are left out (not sent as empty strings), so the strict schemas see only real answers.
 */
export function buildCheckIn(
	draft: CheckInDraft,
	context: CheckInContext
): { visit: Record<string, unknown>; referrals: Record<string, unknown>[] } {
	const recordedAt = context.now.toISOString();
	const visitId = context.newId();
	const visit: Record<string, unknown> = {
		id: visitId,
		busId: context.busId,
		serviceDayId: context.serviceDayId,
		recordedAt,
		channel: draft.channel,
		referenceVersion: currentReference.version,
		requests: draft.requests.map((request) => ({
			partner: request.partner,
			theme: request.theme,
			outcome: request.outcome,
			...(request.onlineProcedure ? { onlineProcedure: true } : {}),
			...(request.aidantsConnect ? { aidantsConnect: true } : {})
		}))
	};
	if (draft.durationMinutes !== null) visit.durationMinutes = draft.durationMinutes;
	if (draft.ageBand) visit.ageBand = draft.ageBand;
	if (draft.socialStatus) visit.socialStatus = draft.socialStatus;
	if (draft.residenceInsee) visit.residenceInsee = draft.residenceInsee;
	if (context.correctionOf) visit.correctionOf = context.correctionOf;

	const referrals = context.correctionOf
		? []
		: draft.requests
				.filter((request) => request.outcome === 'referred')
				.map((request) => buildReferral(request, visitId, context, recordedAt));
	return { visit, referrals };
}

function buildReferral(
	request: RequestDraft,
	visitId: string,
	context: CheckInContext,
	recordedAt: string
): Record<string, unknown> {
	const draft = request.referral;
	return {
		id: context.newId(),
		visitId,
		busId: context.busId,
		recordedAt,
		referenceVersion: currentReference.version,
		partner: request.partner,
		target: draft.target,
		mode: draft.mode,
		reason: draft.reason,
		dueDate: draft.dueDate,
		status: 'open',
		history: [{ status: 'open', at: recordedAt }],
		consent: draft.consent ? { given: true, recordedAt } : null,
		contact: draft.consent ? contactOf(draft) : null
	};
}

/** Only what was typed; null when nothing was (the schema then asks for one if the mode needs it). */
function contactOf(draft: ReferralDraft): Record<string, string> | null {
	const contact: Record<string, string> = {};
	if (draft.phone.trim()) contact.phone = draft.phone.trim();
	if (draft.email.trim()) contact.email = draft.email.trim();
	if (Object.keys(contact).length === 0) return null;
	if (draft.callbackSlot) contact.callbackSlot = draft.callbackSlot;
	return contact;
}
