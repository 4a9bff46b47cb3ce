/**
 * A coordinator's acts on tablets, within their scope: a one-time enrollment code for a bus that has a circuit,
 * and the removal of a tablet. A bus or a tablet outside the scope is answered as one that does not exist.
 */
import type { BusScope } from '../access/scope';
import { isInScope } from '../access/scope';
import { issueEnrollmentCode, revokeDevice } from '../sync/codes';
import type { Store } from '../store/store';

export type IssuedCode =
	{ ok: true; busName: string; timeZone: string; code: string; expiresAt: string } | { ok: false };

/** A new code for `busId` (shown once, stored as a hash); refused for a bus unknown, out of scope or without circuit. */
export async function issueCodeInScope(
	store: Store,
	scope: BusScope,
	busId: string,
	now: () => Date = () => new Date()
): Promise<IssuedCode> {
	if (!isInScope(scope, busId)) return { ok: false };
	const bus = await store.buses.get(busId);
	if (!bus || (await store.circuits.listByBus(bus.id)).length === 0) return { ok: false };
	const { code, expiresAt } = await issueEnrollmentCode(store, bus.id, now);
	return { ok: true, busName: bus.name, timeZone: bus.timeZone, code, expiresAt };
}

/** Revokes a tablet of the scope: its next push or pull gets 403 device_revoked. False if unknown, out of scope or already revoked. */
export async function revokeDeviceInScope(
	store: Store,
	scope: BusScope,
	deviceId: string,
	now: () => Date = () => new Date()
): Promise<boolean> {
	const device = await store.devices.get(deviceId);
	if (!device || !isInScope(scope, device.busId)) return false;
	return revokeDevice(store, deviceId, now);
}
