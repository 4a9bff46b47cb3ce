/**
 * The summary of one service day for the crew's end-of-day screen: check-ins in their current version,
 * requests by partner and outcome, referrals opened, and what has not reached the server yet. A withdrawn
 * check-in counts nowhere (it is listed apart). Counted on the tablet from its own records, so it works
 * offline and matches what the crew recorded.
 */
import { REQUEST_OUTCOMES, type RequestOutcome, type Visit } from '$lib/domain/visit';
import { currentVersions } from './check-in';
import type { EscaleDb } from './schema';

export type OutcomeCounts = Record<RequestOutcome, number>;

export interface PartnerTally {
	partner: string;
	requests: number;
	byOutcome: OutcomeCounts;
}

export interface DaySummary {
	serviceDayId: string;
	/** The day's check-ins, current versions only, in the order they were first recorded; withdrawn ones left out. */
	visits: Visit[];
	/** The check-ins the crew withdrew (their current version), in the same order; counted nowhere else. */
	withdrawn: Visit[];
	/** Requests of those visits. */
	requests: number;
	/** Corrections recorded this day (each is a visit naming the one it replaces). */
	corrections: number;
	/** Most requested partner first, then by code. */
	byPartner: PartnerTally[];
	byOutcome: OutcomeCounts;
	/**
	 * Referrals written for the day's check-ins (whichever version of the visit they were written with),
	 * those of withdrawn check-ins left out.
	 */
	referralsOpened: number;
	/** Outbox entries still waiting to reach the server, for this day's visits, referrals and reports. */
	pending: { visits: number; referrals: number; reports: number };
}

function noOutcomes(): OutcomeCounts {
	return Object.fromEntries(REQUEST_OUTCOMES.map((outcome) => [outcome, 0])) as OutcomeCounts;
}

/** Requests of `visits` by partner and by outcome. */
export function tallyRequests(
	visits: readonly Visit[]
): Pick<DaySummary, 'requests' | 'byPartner' | 'byOutcome'> {
	const byPartner = new Map<string, PartnerTally>();
	const byOutcome = noOutcomes();
	let requests = 0;
	for (const request of visits.flatMap((visit) => visit.requests)) {
		requests++;
		byOutcome[request.outcome]++;
		let tally = byPartner.get(request.partner);
		if (!tally) {
			tally = { partner: request.partner, requests: 0, byOutcome: noOutcomes() };
			byPartner.set(request.partner, tally);
		}
		tally.requests++;
		tally.byOutcome[request.outcome]++;
	}
	const partners = [...byPartner.values()].sort(
		(a, b) => b.requests - a.requests || a.partner.localeCompare(b.partner)
	);
	return { requests, byPartner: partners, byOutcome };
}

/** The ids of every version of the check-ins whose current versions are `currents`. */
function versionsOfCheckIns(all: readonly Visit[], currents: readonly Visit[]): Set<string> {
	const byId = new Map(all.map((visit) => [visit.id, visit]));
	const ids = new Set<string>();
	for (const current of currents) {
		let visit: Visit | undefined = current;
		while (visit && !ids.has(visit.id)) {
			ids.add(visit.id);
			visit = visit.correctionOf ? byId.get(visit.correctionOf) : undefined;
		}
	}
	return ids;
}

/** Reads the day's records in one read transaction, so the counts agree with each other. */
export async function readDaySummary(db: EscaleDb, serviceDayId: string): Promise<DaySummary> {
	return db.transaction('r', [db.visits, db.visitWithdrawals, db.referrals, db.outbox], async (tx) => {
		const all = await tx.visits.where('serviceDayId').equals(serviceDayId).toArray();
		const withdrawnIds = new Set<string>(
			await tx.visitWithdrawals.where('serviceDayId').equals(serviceDayId).primaryKeys()
		);
		const visitIds = all.map((visit) => visit.id);
		const referrals = await tx.referrals.where('visitId').anyOf(visitIds).toArray();
		const referralIds = new Set(referrals.map((referral) => referral.id));
		const pendingEntries = await tx.outbox
			.where('entityId')
			.anyOf([...visitIds, ...referralIds, serviceDayId])
			.and((entry) => entry.status === 'pending')
			.toArray();
		const current = currentVersions(all);
		const visits = current.filter((visit) => !withdrawnIds.has(visit.id));
		const withdrawn = current.filter((visit) => withdrawnIds.has(visit.id));
		const withdrawnVersions = versionsOfCheckIns(all, withdrawn);
		return {
			serviceDayId,
			visits,
			withdrawn,
			...tallyRequests(visits),
			corrections: all.filter((visit) => visit.correctionOf !== undefined).length,
			referralsOpened: referrals.filter((referral) => !withdrawnVersions.has(referral.visitId)).length,
			pending: {
				visits: pendingEntries.filter(
					(entry) => entry.kind === 'visit.create' || entry.kind === 'visit.withdraw'
				).length,
				referrals: pendingEntries.filter(
					(entry) => entry.kind === 'referral.create' || entry.kind === 'referral.status'
				).length,
				reports: pendingEntries.filter((entry) => entry.kind === 'serviceDay.report').length
			}
		};
	});
}
