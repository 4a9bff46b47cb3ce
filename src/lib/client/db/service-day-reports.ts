/**
 * The crew's reports of a service day: the bus came (held), came late, or could not come (cancelled).
 * Each report is an event kept in order on the tablet, sent to the server as a `serviceDay.report`
 * mutation, and applied at once to the local service day the way the server applies it
 * (src/lib/server/sync/apply.ts), so the crew sees the new status before the next sync. Until the report
 * is acknowledged, a pull never overwrites that day (client/sync/apply.ts keeps pending records).
 */
import { parseWith, type Issue } from '$lib/domain/validation';
import {
	ServiceDayReportSchema,
	type ServiceDayReport,
	type ServiceDayReportKind,
	type ServiceDayReportReason
} from '$lib/sync/protocol';
import { statusAfterReport } from '$lib/sync/service-day-report';
import { InvalidRecordError, withStorageErrors } from './errors';
import { enqueue, outboxTables, withDigest } from './outbox';
import type { EscaleDb } from './schema';

/** A report as the tablet keeps it: the wire payload and its local order (auto-increment). */
export type StoredServiceDayReport = ServiceDayReport & { id: number };

export interface ServiceDayReportInput {
	serviceDayId: string;
	report: ServiceDayReportKind;
	delayMinutes?: number;
	reason?: ServiceDayReportReason;
}

const RECORD = 'serviceDayReport' satisfies InvalidRecordError['record'];

/** What the wire schema does not say: which kind of report needs (or refuses) a delay and a reason. */
function checkReportRules(report: ServiceDayReport): Issue[] {
	const issues: Issue[] = [];
	if (report.report === 'late' && report.delayMinutes === undefined) {
		issues.push({ path: 'delayMinutes', message: 'Un retard demande sa durée en minutes' });
	}
	if (report.report !== 'late' && report.delayMinutes !== undefined) {
		issues.push({ path: 'delayMinutes', message: "Une durée de retard ne va qu'avec un retard (late)" });
	}
	if (report.report === 'cancelled' && report.reason === undefined) {
		issues.push({ path: 'reason', message: 'Une annulation demande son motif' });
	}
	if (report.report === 'held' && report.reason !== undefined) {
		issues.push({ path: 'reason', message: "Un passage assuré sans retard n'a pas de motif" });
	}
	return issues;
}

/**
 * Validates the report (at = `now`), then stores it, updates the local service day and queues the
 * mutation, all or nothing. Rejects with InvalidRecordError (nothing written) when the report breaks a
 * rule or names a service day the tablet does not hold, StorageFullError or StorageUnavailableError.
 */
export async function reportServiceDay(
	db: EscaleDb,
	input: ServiceDayReportInput,
	now: Date = new Date()
): Promise<StoredServiceDayReport> {
	const at = now.toISOString();
	const parsed = parseWith(ServiceDayReportSchema, { ...input, at });
	if (!parsed.ok) throw new InvalidRecordError(RECORD, parsed.issues);
	const report = parsed.value;
	const issues = checkReportRules(report);
	if (issues.length > 0) throw new InvalidRecordError(RECORD, issues);
	const { status, reason } = statusAfterReport(report);
	const queued = await withDigest({
		kind: 'serviceDay.report',
		entityId: report.serviceDayId,
		payload: report,
		createdAt: at
	});

	// Must stay true: the report, the day's local status and the queued mutation change together.
	return withStorageErrors(() =>
		db.transaction('rw', [db.serviceDays, db.serviceDayReports, ...outboxTables(db)], async (tx) => {
			const day = await tx.serviceDays.get(report.serviceDayId);
			if (!day) {
				throw new InvalidRecordError(RECORD, [
					{ path: 'serviceDayId', message: 'Passage inconnu de cette tablette' }
				]);
			}
			// A copy: Dexie writes the new key into the object it adds, and the payload must stay the wire shape.
			const id = await tx.serviceDayReports.add({ ...report });
			await tx.serviceDays.update(day.id, { status, reason });
			await enqueue(tx, queued);
			return { ...report, id };
		})
	);
}

/** The reports of one service day, oldest first. */
export function listReportsOfServiceDay(
	db: EscaleDb,
	serviceDayId: string
): Promise<StoredServiceDayReport[]> {
	return db.serviceDayReports.where('serviceDayId').equals(serviceDayId).sortBy('id');
}

/** The last report of one service day, or undefined when the crew never reported it. */
export async function latestReport(
	db: EscaleDb,
	serviceDayId: string
): Promise<StoredServiceDayReport | undefined> {
	const reports = await listReportsOfServiceDay(db, serviceDayId);
	return reports.at(-1);
}
