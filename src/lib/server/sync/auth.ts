/**
 * Device authentication: `Authorization: Bearer <deviceId>.<secret>`. The tablet makes the secret; the
 * store keeps only its SHA-256 (sent at enrollment); the comparison runs in constant time. A revoked device
 * is told so (403), not merely refused.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { splitToken } from '$lib/sync/enroll';
import type { DeviceRecord, Store } from '../store/store';
import { SyncError } from './errors';

export function hashSecret(secret: string): string {
	return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A new device id: random, so it tells nothing about the bus or the order of enrollments. */
export function createDeviceId(): string {
	return `dev-${randomBytes(12).toString('base64url')}`;
}

/** Whether two SHA-256 digests in hex are equal, in constant time. */
export function isSameDigest(expectedHex: string, givenHex: string): boolean {
	const expected = Buffer.from(expectedHex, 'hex');
	const given = Buffer.from(givenHex, 'hex');
	return expected.length === 32 && given.length === 32 && timingSafeEqual(expected, given);
}

export async function authenticate(store: Store, request: Request): Promise<DeviceRecord> {
	const header = request.headers.get('authorization') ?? '';
	const match = /^Bearer ([^\s]+)$/i.exec(header.trim());
	const parts = match?.[1] ? splitToken(match[1]) : null;
	if (!parts)
		throw new SyncError('unauthenticated', 'Jeton d’appareil manquant ou mal formé (Authorization: Bearer)');
	const device = await store.devices.get(parts.deviceId);
	// Compare even for an unknown device, so timing does not tell which device ids exist.
	const same = isSameDigest(device?.secretHash ?? '0'.repeat(64), hashSecret(parts.secret));
	if (!device || !same)
		throw new SyncError('unauthenticated', 'Jeton d’appareil inconnu : enrôlez la tablette à nouveau');
	if (device.revokedAt !== null) {
		throw new SyncError(
			'device_revoked',
			'Cette tablette a été révoquée par la coordination : elle ne peut plus synchroniser. Contactez votre coordinateur.'
		);
	}
	return device;
}
