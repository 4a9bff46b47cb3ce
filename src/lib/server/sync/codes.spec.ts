import { describe, expect, it } from 'vitest';
import { hashEnrollmentCode, issueEnrollmentCode, normalizeEnrollmentCode, revokeDevice } from './codes';
import { A, enrollDevice, now, NOW, openFixtureStore } from '$factories/sync';

describe('enrollment codes', () => {
	it('read the same whatever the case, dashes and spaces', () => {
		expect(normalizeEnrollmentCode('abcd-2345')).toBe('ABCD2345');
		expect(normalizeEnrollmentCode(' AB CD 23 45 ')).toBe('ABCD2345');
	});

	it('refuse letters that look like digits, and the wrong length', () => {
		for (const code of ['ABCD-234I', 'LOUA-2345', 'ABC-2345', 'ABCD-23456']) {
			expect(normalizeEnrollmentCode(code)).toBeNull();
		}
	});

	it('are stored as a hash only, with an expiry a week later', async () => {
		const store = await openFixtureStore();
		const { code, expiresAt } = await issueEnrollmentCode(store, A.bus, now);
		expect(expiresAt).toBe(new Date(NOW.getTime() + 7 * 24 * 3600 * 1000).toISOString());
		const normalized = normalizeEnrollmentCode(code) ?? '';
		const stored = await store.enrollmentCodes.get(hashEnrollmentCode(normalized));
		expect(stored).toMatchObject({ busId: A.bus, usedAt: null });
		expect(JSON.stringify(stored)).not.toContain(normalized);
	});

	it('are issued only for a bus that exists', async () => {
		const store = await openFixtureStore();
		await expect(issueEnrollmentCode(store, 'no-such-bus', now)).rejects.toThrow(/No bus/);
	});
});

describe('revocation', () => {
	it('revokes a device once', async () => {
		const store = await openFixtureStore();
		const { deviceId } = await enrollDevice(store, A.bus);
		expect(await revokeDevice(store, deviceId, now)).toBe(true);
		expect(await revokeDevice(store, deviceId, now)).toBe(false);
		expect((await store.devices.get(deviceId))?.revokedAt).toBe(NOW.toISOString());
	});
});
