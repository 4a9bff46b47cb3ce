/**
 * What a crew's report does to its service day, computed the same way on the server (the public status) and on
 * the tablet (before the report is sent): cancelled makes the day cancelled with its reason in public words;
 * held or late keep it held, a late one with its delay. One copy, so the tablet's day never changes at the next
 * pull just because two spellings differ.
 */
import type { ServiceDay, ServiceDayStatus } from '$lib/domain/schedule';
// The cancellation vocabulary has one home (the crew's choices say the same words); public words are French.
import { cancellationReasonLabel } from '$lib/i18n/labels';
import type { ServiceDayReport } from './protocol';

export function statusAfterReport(report: Pick<ServiceDayReport, 'report' | 'delayMinutes' | 'reason'>): {
	status: ServiceDayStatus;
	reason: string | null;
} {
	if (report.report === 'cancelled') {
		return { status: 'cancelled', reason: cancellationReasonLabel(report.reason ?? 'other', 'fr') };
	}
	if (report.report === 'late') {
		const delay = report.delayMinutes ? ` d'environ ${report.delayMinutes} min` : '';
		return { status: 'held', reason: `Retard${delay}` };
	}
	return { status: 'held', reason: null };
}

/** The reason statusAfterReport gives a late day, read back. */
const LATE_REASON = /^Retard(?: d'environ (\d+) min)?$/;

/**
 * Whether a day holds a late report, and its delay in minutes (null for an old payload without one): read back
 * from what statusAfterReport wrote, so the tablet tells a late day from a plain held one whichever tablet
 * reported it (a pulled day carries its status and reason, not the report). Null when the day is not late.
 */
export function lateDelayOf(
	day: Pick<ServiceDay, 'status' | 'reason'>
): { delayMinutes: number | null } | null {
	if (day.status !== 'held' || !day.reason) return null;
	const late = LATE_REASON.exec(day.reason);
	if (!late) return null;
	return { delayMinutes: late[1] ? Number(late[1]) : null };
}
