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

/** The device id and secret of an `Authorization: Bearer <deviceId>.<secret>` header; null if not shaped so. */
function parseBearer(authorization: string | null): { deviceId: string; secret: string } | null {
	const match = /^Bearer ([^\s]+)$/i.exec((authorization ?? '').trim());
	return match?.[1] ? splitToken(match[1]) : null;
}

/** The device if the secret is its own, revoked or not; null otherwise. */
async function matchDevice(
	store: Store,
	{ deviceId, secret }: { deviceId: string; secret: string }
): Promise<DeviceRecord | null> {
	const device = await store.devices.get(deviceId);
	// Compare even for an unknown device, so timing does not tell which device ids exist.
	const same = isSameDigest(device?.secretHash ?? '0'.repeat(64), hashSecret(secret));
	return device && same ? device : null;
}

/**
 * The device a bearer token names, revoked or not (src/lib/server/access tells the two apart); null for no
 * token, a malformed one, an unknown device or a wrong secret.
 */
export async function findDevice(store: Store, authorization: string | null): Promise<DeviceRecord | null> {
	const parts = parseBearer(authorization);
	return parts ? matchDevice(store, parts) : null;
}

export async function authenticate(store: Store, request: Request): Promise<DeviceRecord> {
	const parts = parseBearer(request.headers.get('authorization'));
	if (!parts)
		throw new SyncError('unauthenticated', 'Jeton d’appareil manquant ou mal formé (Authorization: Bearer)');
	const device = await matchDevice(store, parts);
	if (!device)
		throw new SyncError('unauthenticated', 'Jeton d’appareil inconnu : enrôlez la tablette à nouveau');
	if (device.revokedAt !== null) {
		throw new SyncError(
			'device_revoked',
			'Cette tablette a été révoquée par la coordination : elle ne peut plus synchroniser. Contactez votre coordinateur.'
		);
	}
	return device;
}
