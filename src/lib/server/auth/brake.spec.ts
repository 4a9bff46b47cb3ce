import { describe, expect, it } from 'vitest';
import { DEFAULT_BRAKE, SignInBrake } from './brake';

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
});
