/**
 * Device authentication: `Authorization: Bearer <deviceId>.<secret>`. The store keeps only SHA-256 of the
 * secret; the comparison runs in constant time. A revoked device is told so (403), not merely refused.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { splitToken } from '$lib/sync/enroll';
import type { DeviceRecord, Store } from '../store/store';
import { SyncError } from './errors';

export function hashSecret(secret: string): string {
	return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A new device id and token; the caller stores the device with `hashSecret(secret)`. */
export function createCredentials(): { deviceId: string; secret: string; token: string } {
	const deviceId = `dev-${randomBytes(12).toString('base64url')}`;
	const secret = randomBytes(32).toString('base64url');
	return { deviceId, secret, token: `${deviceId}.${secret}` };
}

export async function authenticate(store: Store, request: Request): Promise<DeviceRecord> {
	const header = request.headers.get('authorization') ?? '';
	const match = /^Bearer ([^\s]+)$/i.exec(header.trim());
	const parts = match?.[1] ? splitToken(match[1]) : null;
	if (!parts)
		throw new SyncError('unauthenticated', 'Jeton d’appareil manquant ou mal formé (Authorization: Bearer)');
	const device = await store.devices.get(parts.deviceId);
	const expected = Buffer.from(device?.secretHash ?? '0'.repeat(64), 'hex');
	const given = Buffer.from(hashSecret(parts.secret), 'hex');
	// Compare even for an unknown device, so timing does not tell which device ids exist.
	const same = expected.length === given.length && timingSafeEqual(expected, given);
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
