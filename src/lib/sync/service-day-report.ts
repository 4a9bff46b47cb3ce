/**
 * What a crew's report does to its service day, computed the same way on the server (the public status) and on
 * the tablet (before the report is sent): cancelled makes the day cancelled with its reason in public words;
 * held or late keep it held, a late one with its delay. One copy, so the tablet's day never changes at the next
 * pull just because two spellings differ.
 */
import type { ServiceDayStatus } from '$lib/domain/schedule';
import type { ServiceDayReport, ServiceDayReportReason } from './protocol';

/** The public words of a cancellation's reason (shown on the public pages). */
export const SERVICE_DAY_REPORT_REASON_LABELS: Record<ServiceDayReportReason, string> = {
	breakdown: 'Panne du véhicule',
	weather: 'Intempéries',
	staff: "Absence de l'équipe",
	other: 'Imprévu'
};

export function statusAfterReport(report: Pick<ServiceDayReport, 'report' | 'delayMinutes' | 'reason'>): {
	status: ServiceDayStatus;
	reason: string | null;
} {
	if (report.report === 'cancelled') {
		return { status: 'cancelled', reason: SERVICE_DAY_REPORT_REASON_LABELS[report.reason ?? 'other'] };
	}
	if (report.report === 'late') {
		const delay = report.delayMinutes ? ` d'environ ${report.delayMinutes} min` : '';
		return { status: 'held', reason: `Retard${delay}` };
	}
	return { status: 'held', reason: null };
}
