import { describe, expect, it } from 'vitest';
import { newCheckInDraft, newRequestDraft, type CheckInDraft } from './check-in-form';
import { asksBeforeSaving, DOUBLE_SAVE_WINDOW_MS, visitKey } from './double-save';

const DEFAULTS = { channel: 'walkIn', partner: 'CAF', theme: 'family', outcome: 'resolved' } as const;
const DAY = 'fs-1-marche@2026-03-10';
const SAVED_AT = new Date('2026-03-10T10:00:00.000Z');

const aDraft = (): CheckInDraft => newCheckInDraft(DEFAULTS, '2026-03-10');
const after = (ms: number) => new Date(SAVED_AT.getTime() + ms);
const lastSaveOf = (draft: CheckInDraft, day = DAY) => ({
	key: visitKey(day, draft),
	at: SAVED_AT.getTime()
});

describe('asksBeforeSaving', () => {
	it('asks for the same visit again 350 ms later, and up to just under 2 seconds', () => {
		const last = lastSaveOf(aDraft());
		const key = visitKey(DAY, aDraft());
		expect(asksBeforeSaving(last, key, after(0))).toBe(true);
		expect(asksBeforeSaving(last, key, after(350))).toBe(true);
		expect(asksBeforeSaving(last, key, after(DOUBLE_SAVE_WINDOW_MS - 1))).toBe(true);
	});

	it('does not ask from 2 seconds on, nor when the clock went back', () => {
		const last = lastSaveOf(aDraft());
		const key = visitKey(DAY, aDraft());
		expect(asksBeforeSaving(last, key, after(DOUBLE_SAVE_WINDOW_MS))).toBe(false);
		expect(asksBeforeSaving(last, key, after(60_000))).toBe(false);
		expect(asksBeforeSaving(last, key, after(-1))).toBe(false);
	});

	it('does not ask before a first save', () => {
		expect(asksBeforeSaving(null, visitKey(DAY, aDraft()), after(100))).toBe(false);
	});

	it('does not ask when the day, the channel or any request differs', () => {
		const last = lastSaveOf(aDraft());
		const otherChannel = { ...aDraft(), channel: 'phone' as const };
		const otherOutcome = aDraft();
		otherOutcome.requests[0]!.outcome = 'mustReturn';
		const online = aDraft();
		online.requests[0]!.onlineProcedure = true;
		const twoRequests = aDraft();
		twoRequests.requests.push(newRequestDraft(DEFAULTS, '2026-03-10'));
		for (const key of [
			visitKey('fs-1-vallieres@2026-03-10', aDraft()),
			visitKey(DAY, otherChannel),
			visitKey(DAY, otherOutcome),
			visitKey(DAY, online),
			visitKey(DAY, twoRequests)
		]) {
			expect(asksBeforeSaving(last, key, after(350))).toBe(false);
		}
	});

	it('compares requests by their choices, not by the form keys of their blocks', () => {
		const first = aDraft();
		const second = aDraft();
		expect(first.requests[0]!.key).not.toBe(second.requests[0]!.key);
		expect(asksBeforeSaving(lastSaveOf(first), visitKey(DAY, second), after(350))).toBe(true);
	});
});
