/**
 * POST /api/sync/enroll: a one-time code becomes a device identity and the snapshot the tablet needs
 * offline (its bus, stops, service days from a week ago to 12 weeks ahead, its referrals), with the
 * cursor where its pulls start.
 *
 * The tablet makes its secret and sends only its SHA-256 (`secretHash`), so an answer lost on the way costs
 * nothing: the same code with the same digest again gets the same device back, with a fresh snapshot. Any
 * other use of a spent code is refused. Attempts are limited per client address and overall
 * (enroll-limits.ts).
 */
import { addDays, localDateIn } from '$lib/domain/calendar';
import { currentReference } from '$lib/domain/reference';
import { encodeCursor } from '$lib/sync/cursor';
import type { EnrollResponse } from '$lib/sync/enroll';
import { EnrollRequestSchema, LIMITS } from '$lib/sync/protocol';
import type { Bus } from '$lib/domain/schedule';
import type { DeviceRecord, EnrollmentCodeRecord, Store, StoreTransaction } from '../store/store';
import { createDeviceId, isSameDigest } from './auth';
import { parseBody, readJsonBody } from './body';
import { hashEnrollmentCode, normalizeEnrollmentCode } from './codes';
import { enrollLimiter, type EnrollLimiter } from './enroll-limits';
import { SyncError, jsonResponse } from './errors';

const INVALID_CODE =
	"Code d'enrôlement inconnu, déjà utilisé ou expiré : demandez un nouveau code à la coordination";

export interface EnrollOptions {
	/** The client's IP address (the route's `getClientAddress()`): attempts are limited per address. */
	clientAddress?: string;
	/** The process's limiter by default; tests pass their own. */
	limiter?: EnrollLimiter;
}

const invalidCode = () => new SyncError('enrollment_code_invalid', INVALID_CODE, 'code');

export async function enroll(
	store: Store,
	request: Request,
	now: () => Date,
	options: EnrollOptions = {}
): Promise<Response> {
	const body = parseBody(EnrollRequestSchema, await readJsonBody(request, LIMITS.maxSmallBodyBytes));
	const normalized = normalizeEnrollmentCode(body.code);
	if (!normalized) throw invalidCode();
	const codeHash = hashEnrollmentCode(normalized);
	const at = now();
	const limiter = options.limiter ?? enrollLimiter;
	const allowed = await limiter.take(store, options.clientAddress, at.getTime());
	if (!allowed.ok) {
		throw new SyncError(
			'rate_limited',
			`Trop de tentatives d'enrôlement : réessayez dans ${allowed.retryAfterSeconds} s`,
			undefined,
			allowed.retryAfterSeconds
		);
	}

	// What must stay true: a code makes at most one device, a retry gets that same device only with the same
	// secret digest, and the snapshot and its cursor are read together, so no change falls between them.
	const response = await store.transaction(async (tx): Promise<EnrollResponse> => {
		const code = await tx.enrollmentCodes.get(codeHash);
		if (!code || Date.parse(code.expiresAt) <= at.getTime()) throw invalidCode();
		const bus = await tx.buses.get(code.busId);
		if (!bus) throw invalidCode();
		const deviceId =
			code.usedAt === null
				? await createDevice(tx, code, bus, body, at)
				: await findRetriedDevice(tx, code, body.secretHash);
		return {
			protocol: body.protocol,
			deviceId,
			bus,
			referenceVersion: currentReference.version,
			serverTime: at.toISOString(),
			snapshot: await readSnapshot(tx, bus, at)
		};
	});
	await limiter.refund(store, options.clientAddress, at.getTime());
	return jsonResponse(201, response);
}

async function createDevice(
	tx: StoreTransaction,
	code: EnrollmentCodeRecord,
	bus: Bus,
	body: { appVersion: string; secretHash: string },
	at: Date
): Promise<string> {
	const device: DeviceRecord = {
		id: createDeviceId(),
		busId: bus.id,
		secretHash: body.secretHash,
		appVersion: body.appVersion,
		createdAt: at.toISOString(),
		revokedAt: null,
		lastMutationId: 0,
		lastSeenAt: at.toISOString()
	};
	await tx.devices.insert(device);
	if (!(await tx.enrollmentCodes.markUsed(code.codeHash, device.id, at.toISOString()))) throw invalidCode();
	return device.id;
}

/** The device a spent code made, when this is its own tablet asking again (same secret digest). */
async function findRetriedDevice(
	tx: StoreTransaction,
	code: EnrollmentCodeRecord,
	secretHash: string
): Promise<string> {
	const device = code.usedByDevice === null ? null : await tx.devices.get(code.usedByDevice);
	if (!device || device.revokedAt !== null || !isSameDigest(device.secretHash, secretHash)) {
		throw invalidCode();
	}
	return device.id;
}

async function readSnapshot(tx: StoreTransaction, bus: Bus, at: Date): Promise<EnrollResponse['snapshot']> {
	const today = localDateIn(at, bus.timeZone);
	const serviceDays = await tx.serviceDays.listByBus(bus.id, {
		from: addDays(today, -7),
		to: addDays(today, 12 * 7)
	});
	return {
		stops: await tx.stops.listByBus(bus.id),
		serviceDays: serviceDays.map(({ revision: _revision, editedAt: _editedAt, ...day }) => day),
		referrals: await tx.syncRecords.listReferralsByBus(bus.id),
		cursor: encodeCursor(await tx.changeLog.lastSeq())
	};
}
