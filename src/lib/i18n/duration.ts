/** A time span in words, in its largest whole unit: "5 min", "3 h", "2 j" (the crew's sync ages). */
import { m } from '$lib/paraglide/messages';
import { splitDuration } from './format';

export function durationInWords(ms: number): string {
	const { unit, count } = splitDuration(ms);
	const value = { count: String(count) };
	if (unit === 'minutes') return m.duration_minutes(value);
	return unit === 'hours' ? m.duration_hours(value) : m.duration_days(value);
}
