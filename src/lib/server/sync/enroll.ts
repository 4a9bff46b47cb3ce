/**
 * POST /api/sync/enroll: a one-time code becomes a device identity, a token, and the snapshot the tablet
 * needs offline (its bus, stops, service days from a week ago to 12 weeks ahead, its referrals), with the
 * cursor where its pulls start.
 */
import { addDays, localDateIn } from '$lib/domain/calendar';
import { currentReference } from '$lib/domain/reference';
import { encodeCursor } from '$lib/sync/cursor';
import type { EnrollResponse } from '$lib/sync/enroll';
import { EnrollRequestSchema, LIMITS, PROTOCOL_VERSION } from '$lib/sync/protocol';
import type { Store } from '../store/store';
import { createCredentials, hashSecret } from './auth';
import { parseBody, readJsonBody } from './body';
import { hashEnrollmentCode, normalizeEnrollmentCode } from './codes';
import { SyncError, jsonResponse } from './errors';

const INVALID_CODE =
	"Code d'enrôlement inconnu, déjà utilisé ou expiré : demandez un nouveau code à la coordination";

export async function enroll(store: Store, request: Request, now: () => Date): Promise<Response> {
	const body = parseBody(EnrollRequestSchema, await readJsonBody(request, LIMITS.maxSmallBodyBytes));
	const normalized = normalizeEnrollmentCode(body.code);
	if (!normalized) throw new SyncError('enrollment_code_invalid', INVALID_CODE, 'code');
	const codeHash = hashEnrollmentCode(normalized);
	const credentials = createCredentials();
	const at = now();

	// What must stay true: a code makes at most one device, and the snapshot and its cursor are read
	// together, so no change falls between them.
	const response = await store.transaction(async (tx): Promise<EnrollResponse> => {
		const code = await tx.enrollmentCodes.get(codeHash);
		if (!code || code.usedAt !== null || Date.parse(code.expiresAt) <= at.getTime()) {
			throw new SyncError('enrollment_code_invalid', INVALID_CODE, 'code');
		}
		const bus = await tx.buses.get(code.busId);
		if (!bus) throw new SyncError('enrollment_code_invalid', INVALID_CODE, 'code');
		await tx.devices.insert({
			id: credentials.deviceId,
			busId: bus.id,
			secretHash: hashSecret(credentials.secret),
			appVersion: body.appVersion,
			createdAt: at.toISOString(),
			revokedAt: null,
			lastMutationId: 0,
			lastSeenAt: at.toISOString()
		});
		if (!(await tx.enrollmentCodes.markUsed(codeHash, credentials.deviceId, at.toISOString()))) {
			throw new SyncError('enrollment_code_invalid', INVALID_CODE, 'code');
		}
		const today = localDateIn(at, bus.timeZone);
		const serviceDays = await tx.serviceDays.listByBus(bus.id, {
			from: addDays(today, -7),
			to: addDays(today, 12 * 7)
		});
		return {
			protocol: PROTOCOL_VERSION,
			deviceId: credentials.deviceId,
			token: credentials.token,
			bus,
			referenceVersion: currentReference.version,
			serverTime: at.toISOString(),
			snapshot: {
				stops: await tx.stops.listByBus(bus.id),
				serviceDays: serviceDays.map(({ revision: _revision, editedAt: _editedAt, ...day }) => day),
				referrals: await tx.syncRecords.listReferralsByBus(bus.id),
				cursor: encodeCursor(await tx.changeLog.lastSeq())
			}
		};
	});
	return jsonResponse(201, response);
}
