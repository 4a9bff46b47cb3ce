/**
 * Which of today's service days a visitor is checked in on when the crew did not say (issue 11): the one whose
 * window is open now in the bus's zone, else the next to open, else the last to have closed (a visitor seen
 * after the afternoon stop ended still belongs to it, not to the morning). Days are compared by their instants,
 * so a tablet whose own clock zone differs from the bus's still picks the bus's current slot.
 */
import { toInstant } from './calendar';
import type { ServiceDay } from './schedule';

type Slot = Pick<ServiceDay, 'id' | 'date' | 'start' | 'end'>;

export function serviceDayAt<T extends Slot>(days: readonly T[], at: Date, timeZone: string): T | undefined {
	const timed = days
		.map((day) => ({
			day,
			start: toInstant(day.date, day.start, timeZone).getTime(),
			end: toInstant(day.date, day.end, timeZone).getTime()
		}))
		.sort((a, b) => a.start - b.start);
	const now = at.getTime();
	const open = timed.find((slot) => slot.start <= now && now < slot.end);
	if (open) return open.day;
	const next = timed.find((slot) => slot.start > now);
	if (next) return next.day;
	return timed.at(-1)?.day;
}
