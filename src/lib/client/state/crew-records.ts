/**
 * The crew screens' reads and writes of the tablet's records, on the app's database. Screens (src/routes)
 * import these, never $lib/client/db: the database, its errors and its outbox stay behind client/state.
 */
import { getEscaleDb } from '$lib/client/db/connection';
import { readDaySummary, type DaySummary } from '$lib/client/db/day-summary';
import { listPendingEntityIds } from '$lib/client/db/outbox';
import { listReferralsByStatus } from '$lib/client/db/referrals';
import {
	DEFAULT_VISIT_RETENTION_DAYS,
	getRetentionSettings,
	setVisitRetentionDays,
	type RetentionSettings
} from '$lib/client/db/retention';
import {
	latestReport,
	reportServiceDay,
	type ServiceDayReportInput,
	type StoredServiceDayReport
} from '$lib/client/db/service-day-reports';
import { heldDepartements, searchHeldCommunes, type CommuneRef } from '$lib/client/db/communes';
import { openOffPlanStop, type OffPlanStopInput } from '$lib/client/db/off-plan';
import { REFERRAL_STATUSES, type Referral } from '$lib/domain/referral';
import type { ServiceDay } from '$lib/domain/schedule';

export { DEFAULT_VISIT_RETENTION_DAYS };
export type {
	CommuneRef,
	DaySummary,
	OffPlanStopInput,
	RetentionSettings,
	ServiceDayReportInput,
	StoredServiceDayReport
};

/** The summary of each of these service days (the day screen), in their order. */
export function readDaySummaries(serviceDayIds: readonly string[]): Promise<DaySummary[]> {
	const db = getEscaleDb();
	return Promise.all(serviceDayIds.map((id) => readDaySummary(db, id)));
}

/** Every referral on the tablet, by due date, and the ids of records still waiting to be sent. */
export async function readReferrals(): Promise<{ referrals: Referral[]; pending: Set<string> }> {
	const db = getEscaleDb();
	const [referrals, pending] = await Promise.all([
		listReferralsByStatus(db, REFERRAL_STATUSES),
		listPendingEntityIds(db)
	]);
	return { referrals, pending };
}

export function readRetentionSettings(): Promise<RetentionSettings> {
	return getRetentionSettings(getEscaleDb());
}

export function saveVisitRetentionDays(days: number): Promise<void> {
	return setVisitRetentionDays(getEscaleDb(), days);
}

/** The last report of a service day, or null when the crew never reported it. */
export async function readLatestReport(serviceDayId: string): Promise<StoredServiceDayReport | null> {
	return (await latestReport(getEscaleDb(), serviceDayId)) ?? null;
}

/** Stores a report of a service day with its outbox entry (rejects as reportServiceDay does). */
export function reportDay(input: ServiceDayReportInput): Promise<StoredServiceDayReport> {
	return reportServiceDay(getEscaleDb(), input);
}

/** Whether the tablet holds the official communes (fetched once online after enrollment). */
export async function hasCommunes(): Promise<boolean> {
	return (await heldDepartements(getEscaleDb())).length > 0;
}

/** The held communes that answer a typed name or postal code, best first. */
export function findCommunes(input: string): Promise<CommuneRef[]> {
	return searchHeldCommunes(getEscaleDb(), input);
}

/** Opens an off-plan stop today, with its outbox entry (rejects as openOffPlanStop does). */
export function openOffPlan(input: OffPlanStopInput): Promise<ServiceDay> {
	return openOffPlanStop(getEscaleDb(), input);
}
