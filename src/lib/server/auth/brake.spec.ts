import { describe, expect, it } from 'vitest';
import { DEFAULT_BRAKE, SignInBrake } from './brake';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How many guesses get checked by each point in time when an attacker tries again as soon as the brake allows,
 * from `attacker(i)` for the i-th guess (no device cookie).
 */
function guessesBy(
	marks: number[],
	attacker: (i: number) => { clientAddress: string; email: string }
): number[] {
	const brake = new SignInBrake();
	const counts: number[] = [];
	let guesses = 0;
	let now = 0;
	for (const mark of marks) {
		for (;;) {
			const admission = brake.admit({ ...attacker(guesses), device: null }, now);
			if (admission.ok) guesses += 1;
			else if (now + admission.retryAfterMs < mark) now += admission.retryAfterMs;
			else break;
		}
		counts.push(guesses);
	}
	return counts;
}

const small = (maxEntries: number) =>
	new SignInBrake({
		address: { ...DEFAULT_BRAKE.address, maxEntries },
		account: { ...DEFAULT_BRAKE.account, maxEntries },
		device: { ...DEFAULT_BRAKE.device, maxEntries }
	});

describe('the sign-in brake', () => {
	it('keeps bounded maps under a flood of made-up emails, addresses and devices', () => {
		const brake = small(500);
		for (let i = 0; i < 20_000; i++) {
			const clientAddress = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
			const ipv6 = `2001:db8:${i.toString(16)}::1`;
			brake.admit({ clientAddress, email: `personne-${i}@exemple.fr`, device: null }, i);
			brake.admit({ clientAddress: ipv6, email: `autre-${i}@exemple.fr`, device: `device-${i}` }, i);
		}
		expect(brake.address.size).toBe(500);
		expect(brake.account.size).toBe(500);
		expect(brake.device.size).toBe(500);
	});

	it('answers with the longest of the waits that apply, and charges nothing when it refuses', () => {
		const brake = new SignInBrake();
		const attempt = { clientAddress: '192.0.2.1', email: 'a@exemple.fr', device: null };
		let now = 0;
		for (let i = 0; i < 14; i++) {
			now += brake.account.waitMs('a@exemple.fr', now);
			expect(brake.admit({ ...attempt, clientAddress: `192.0.2.${i + 10}` }, now).ok).toBe(true);
		}
		for (let i = 0; i < 3; i++) expect(brake.admit({ ...attempt, email: 'b@exemple.fr' }, now).ok).toBe(true);
		// The account has 14 failures (it waits 16 s), the address 3 (it waits 1 s).
		expect(brake.admit({ ...attempt, email: 'c@exemple.fr' }, now)).toEqual({
			ok: false,
			retryAfterMs: 1000
		});
		expect(brake.admit(attempt, now)).toEqual({ ok: false, retryAfterMs: 16_000 });
		expect(brake.admit({ ...attempt, clientAddress: '198.51.100.1' }, now)).toEqual({
			ok: false,
			retryAfterMs: 16_000
		});
		expect(brake.address.count('192.0.2.1', now)).toBe(3);
		expect(brake.account.count('a@exemple.fr', now)).toBe(14);
		expect(brake.account.count('c@exemple.fr', now)).toBe(0);
	});

	it('leaves an attacker the guesses docs/security.md states', () => {
		const marks = [MINUTE, HOUR, DAY, 2 * DAY];
		const someAddress = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
		const oneAddressOneAccount = guessesBy(marks, () => ({ clientAddress: '192.0.2.1', email: 'a@x.fr' }));
		const manyAddressesOneAccount = guessesBy(marks, (i) => ({
			clientAddress: someAddress(i),
			email: 'a@x.fr'
		}));
		const oneAddressManyAccounts = guessesBy(marks, (i) => ({
			clientAddress: '192.0.2.1',
			email: `a${i}@x.fr`
		}));
		expect(oneAddressOneAccount).toEqual([8, 27, 303, 591]);
		expect(manyAddressesOneAccount).toEqual([15, 29, 305, 593]);
		expect(oneAddressManyAccounts).toEqual([8, 67, 1447, 2887]);
		// Afterwards: one guess per 5 minutes on an account (288 a day), one per minute from an address (1,440).
		expect(oneAddressOneAccount[3]! - oneAddressOneAccount[2]!).toBe(288);
		expect(manyAddressesOneAccount[3]! - manyAddressesOneAccount[2]!).toBe(288);
		expect(oneAddressManyAccounts[3]! - oneAddressManyAccounts[2]!).toBe(1440);
	});
});
