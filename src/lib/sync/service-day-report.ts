/**
 * What a crew's report does to its service day, computed the same way on the server (the public status) and on
 * the tablet (before the report is sent): cancelled makes the day cancelled with its reason in public words;
 * held or late keep it held, a late one with its delay. One copy, so the tablet's day never changes at the next
 * pull just because two spellings differ.
 */
import type { ServiceDayStatus } from '$lib/domain/schedule';
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
