/**
 * The words of a service day's status. Part of the closed lists' words (labels.ts re-exports it), kept in a
 * module of its own because the public pages show it: importing labels.ts would put the crew's lists, their
 * schemas and the partners' catalog into every resident's download (10 KB over the public page budget).
 */
import type { ServiceDayStatus } from '$lib/domain/schedule';
import { m } from '$lib/paraglide/messages';
import { getLocale, type Locale } from '$lib/paraglide/runtime';
import { say } from './say';

/** As the crew's day, the public pages, the poster and the calendars show it. */
export const serviceDayStatusLabel = say<ServiceDayStatus>({
	planned: m.label_service_day_status_planned,
	held: m.label_service_day_status_held,
	cancelled: m.label_service_day_status_cancelled,
	moved: m.label_service_day_status_moved
});

/** The mark of an off-plan service day ("Hors circuit"): a crew opened it, no circuit planned it. */
export function offPlanLabel(locale: Locale = getLocale()): string {
	return m.label_service_day_off_plan({}, { locale });
}
