/**
 * Enrollment codes ("ABCD-2345"): one-time, bound to one bus, expiring. Stored as a hash only; the code is
 * shown once to whoever issues it. Revocation of a device lives here too: both are coordinator acts.
 */
import { createHash, randomInt } from 'node:crypto';
import { normalizeEnrollmentCode } from '$lib/sync/enroll';
import { ENROLLMENT_CODE_ALPHABET } from '$lib/sync/protocol';
import type { Store } from '../store/store';

export { normalizeEnrollmentCode };

export const ENROLLMENT_CODE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const CODE_LENGTH = 8;

export function hashEnrollmentCode(normalized: string): string {
	return createHash('sha256').update(`escale-enrollment:${normalized}`, 'utf8').digest('hex');
}

/** Issues a new code for `busId` and returns it in its display form ("ABCD-2345"). */
export async function issueEnrollmentCode(
	store: Store,
	busId: string,
	now: () => Date = () => new Date(),
	ttlMs: number = ENROLLMENT_CODE_TTL_MS
): Promise<{ code: string; expiresAt: string }> {
	const bus = await store.buses.get(busId);
	if (!bus) throw new Error(`No bus ${busId}: an enrollment code is issued for an existing bus.`);
	let code = '';
	for (let i = 0; i < CODE_LENGTH; i++)
		code += ENROLLMENT_CODE_ALPHABET[randomInt(ENROLLMENT_CODE_ALPHABET.length)];
	const issuedAt = now();
	const expiresAt = new Date(issuedAt.getTime() + ttlMs).toISOString();
	await store.enrollmentCodes.insert({
		codeHash: hashEnrollmentCode(code),
		busId,
		createdAt: issuedAt.toISOString(),
		expiresAt,
		usedAt: null,
		usedByDevice: null
	});
	return { code: `${code.slice(0, 4)}-${code.slice(4)}`, expiresAt };
}

/** Revokes a device: its next sync gets 403 device_revoked. False if unknown or already revoked. */
export function revokeDevice(
	store: Store,
	deviceId: string,
	now: () => Date = () => new Date()
): Promise<boolean> {
	return store.devices.revoke(deviceId, now().toISOString());
}
