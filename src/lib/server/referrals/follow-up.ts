/**
 * The coordinators' follow-up of referrals across the network: a list without any contact data, and a
 * status move that follows the lifecycle (forward only), is kept as an event without a device, and
 * reaches the bus's tablets through the change log like any other change. A move to a final status
 * purges the contact on the server (the repository does it in the same transaction).
 */
import {
	REFERRAL_STATUSES,
	canMoveReferral,
	type Referral,
	type ReferralMode,
	type ReferralReason,
	type ReferralStatus,
	type ReferralTarget
} from '$lib/domain/referral';
import type { LocalDate } from '$lib/domain/calendar';
import { filterInScope, isInScope, type BusScope } from '../access/scope';
import type { Store } from '../store/store';

/** One referral as a coordinator sees it: what was asked and where it stands, never how to reach the person. */
export interface CoordinationReferral {
	id: string;
	busId: string;
	/** The bus's name, or its id if the bus is no longer known. */
	busName: string;
	referenceVersion: string;
	partner: string;
	target: ReferralTarget;
	mode: ReferralMode;
	reason: ReferralReason;
	dueDate: LocalDate;
	status: ReferralStatus;
	recordedAt: string;
	history: { status: ReferralStatus; at: string }[];
	/** Whether the person left a way to call them back (the contact itself stays out). */
	hasContact: boolean;
	/** Whether the person's consent was recorded. */
	consentGiven: boolean;
}

export interface CoordinationReferralFilter {
	busId?: string;
	/** Only these statuses; all when left out, none when empty. */
	statuses?: readonly ReferralStatus[];
}

function toCoordinationReferral(referral: Referral, busName: string): CoordinationReferral {
	// Listed field by field, so a field added to Referral later (personal or not) stays out until chosen.
	return {
		id: referral.id,
		busId: referral.busId,
		busName,
		referenceVersion: referral.referenceVersion,
		partner: referral.partner,
		target: referral.target,
		mode: referral.mode,
		reason: referral.reason,
		dueDate: referral.dueDate,
		status: referral.status,
		recordedAt: referral.recordedAt,
		history: referral.history.map(({ status, at }) => ({ status, at })),
		hasContact: referral.contact !== null,
		consentGiven: referral.consent !== null
	};
}

/** The referrals of the buses in `scope` (or one bus's), earliest due date first, without contact data. */
export async function listReferralsForCoordination(
	store: Store,
	scope: BusScope,
	filter: CoordinationReferralFilter = {}
): Promise<CoordinationReferral[]> {
	if (filter.busId !== undefined && !isInScope(scope, filter.busId)) return [];
	const stored = await store.syncRecords.listReferrals({
		...(filter.busId !== undefined ? { busId: filter.busId } : {}),
		...(filter.statuses !== undefined ? { statuses: filter.statuses } : {})
	});
	const referrals = filterInScope(scope, stored);
	const names = new Map((await store.buses.list()).map((bus) => [bus.id, bus.name]));
	return referrals.map((referral) =>
		toCoordinationReferral(referral, names.get(referral.busId) ?? referral.busId)
	);
}

/** Why a coordinator's move was refused. */
export type MoveReferralError =
	| { code: 'not_found'; referralId: string }
	| { code: 'status_backwards'; referralId: string; from: ReferralStatus; to: ReferralStatus };

export type MoveReferralResult =
	{ ok: true; referral: CoordinationReferral; changed: boolean } | { ok: false; error: MoveReferralError };

/**
 * Moves a referral to `to` on a coordinator's decision, at `now` (server clock). Forward only
 * (`canMoveReferral`); the current status again is accepted and changes nothing (a double submit). A referral
 * of a bus outside `scope` is `not_found`, as one that does not exist.
 */
export async function moveReferralFromCoordination(
	store: Store,
	scope: BusScope,
	referralId: string,
	to: ReferralStatus,
	now: Date
): Promise<MoveReferralResult> {
	const at = now.toISOString();
	return store.transaction(async (tx): Promise<MoveReferralResult> => {
		const stored = await tx.syncRecords.getReferral(referralId);
		if (!stored || !isInScope(scope, stored.busId))
			return { ok: false, error: { code: 'not_found', referralId } };
		const busName = (await tx.buses.get(stored.busId))?.name ?? stored.busId;
		if (stored.status === to) {
			return { ok: true, referral: toCoordinationReferral(stored.referral, busName), changed: false };
		}
		if (!canMoveReferral(stored.status, to)) {
			return { ok: false, error: { code: 'status_backwards', referralId, from: stored.status, to } };
		}
		const moved: Referral = {
			...stored.referral,
			status: to,
			history: [...stored.referral.history, { status: to, at }]
		};
		// No device: the event's device_id stays null, which marks a coordinator's move.
		await tx.syncRecords.moveReferral(moved, null, at);
		const after = await tx.syncRecords.getReferral(referralId);
		return {
			ok: true,
			referral: toCoordinationReferral(after?.referral ?? moved, busName),
			changed: true
		};
	});
}

/** The statuses a referral may move to next, in lifecycle order (none once final). */
export function nextReferralStatuses(from: ReferralStatus): ReferralStatus[] {
	return REFERRAL_STATUSES.filter((to) => canMoveReferral(from, to));
}
