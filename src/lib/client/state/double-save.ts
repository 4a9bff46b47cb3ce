/**
 * The double-save rule of the check-in screen: two taps on "Enregistrer" a moment apart (the first save is
 * quick, and the next form starts from the same choices) would record one visitor twice. A save of a visit
 * identical to the one just saved (same service day, channel and requests), less than two seconds after it,
 * asks the crew first. Pure: the clock is passed in, so the rule is tested without waiting.
 */
import type { CheckInDraft } from './check-in-form';

/** Under this many milliseconds after a save, an identical save asks first. */
export const DOUBLE_SAVE_WINDOW_MS = 2_000;

/** What a save is compared on, and when it was made. */
export interface LastSave {
	/** `visitKey` of the visit saved. */
	key: string;
	/** When it was saved (the session's clock), in milliseconds. */
	at: number;
}

/**
 * What makes two visits "identical" for the rule: the service day, the channel and the requests in order
 * (partner, theme, outcome and their two ticks). The optional details (duration, age band...) are left out:
 * two taps on the same form carry the same ones anyway, and a crew re-entering a visitor does not fill them.
 */
export function visitKey(serviceDayId: string, draft: Pick<CheckInDraft, 'channel' | 'requests'>): string {
	return JSON.stringify([
		serviceDayId,
		draft.channel,
		draft.requests.map((request) => [
			request.partner,
			request.theme,
			request.outcome,
			request.onlineProcedure,
			request.aidantsConnect
		])
	]);
}

/**
 * Whether saving the visit `key` at `now` must ask first: the last save was of the same visit, less than
 * DOUBLE_SAVE_WINDOW_MS before. A clock that went back (a set time, a sync of the tablet's clock) never asks.
 */
export function asksBeforeSaving(last: LastSave | null, key: string, now: Date): boolean {
	if (last === null || last.key !== key) return false;
	const elapsed = now.getTime() - last.at;
	return elapsed >= 0 && elapsed < DOUBLE_SAVE_WINDOW_MS;
}
