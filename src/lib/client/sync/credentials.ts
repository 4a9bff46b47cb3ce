/**
 * The tablet's identity on the server: device id, bearer token and bus, kept with idb-keyval in a database
 * of its own (never in the records' database, whose tables the crew's data and exports go through).
 * `enroll` trades a one-time code for that identity and the snapshot the tablet needs to work offline.
 *
 * The tablet makes its own secret and sends only its SHA-256: an enrollment whose answer is lost (or whose
 * app dies while it waits) is sent again with the same code and the same secret, and gets the same device.
 */
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import {
	createDeviceSecret,
	EnrollResponseSchema,
	hashDeviceSecret,
	makeToken,
	normalizeEnrollmentCode,
	PROTOCOL_VERSION,
	type EnrollRequest
} from '$lib/sync';
import type { EscaleDb } from '$lib/client/db/schema';
import { applySnapshot } from './apply';
import type { Transport, TransportFailure } from './transport';

export interface DeviceCredentials {
	deviceId: string;
	/** `<deviceId>.<secret>`: secret, never logged, never in a URL. */
	token: string;
	busId: string;
	/** Device clock, ISO: when this identity was received. */
	enrolledAt: string;
}

/** An enrollment sent and not answered yet: the code (normalised) and the secret made for it. */
export interface PendingEnrollment {
	code: string;
	/** Secret, never logged, never in a URL: it becomes the token's secret once the server answers. */
	secret: string;
}

export interface CredentialStore {
	load(): Promise<DeviceCredentials | undefined>;
	save(credentials: DeviceCredentials): Promise<void>;
	clear(): Promise<void>;
	loadPending(): Promise<PendingEnrollment | undefined>;
	savePending(pending: PendingEnrollment): Promise<void>;
	clearPending(): Promise<void>;
}

const KEY = 'device';
const PENDING_KEY = 'enrollment';

/** The credentials in IndexedDB database `escale-device` (opened on first use, never during SSR). */
export function idbCredentialStore(dbName = 'escale-device'): CredentialStore {
	let store: UseStore | undefined;
	const open = () => (store ??= createStore(dbName, 'credentials'));
	return {
		load: () => get<DeviceCredentials>(KEY, open()),
		save: (credentials) => set(KEY, credentials, open()),
		clear: () => del(KEY, open()),
		loadPending: () => get<PendingEnrollment>(PENDING_KEY, open()),
		savePending: (pending) => set(PENDING_KEY, pending, open()),
		clearPending: () => del(PENDING_KEY, open())
	};
}

/** Credentials in memory: for tests and for browsers without IndexedDB (the app then warns anyway). */
export function memoryCredentialStore(initial?: DeviceCredentials): CredentialStore {
	let current = initial;
	let pending: PendingEnrollment | undefined;
	return {
		load: async () => current,
		save: async (credentials) => void (current = credentials),
		clear: async () => void (current = undefined),
		loadPending: async () => pending,
		savePending: async (next) => void (pending = next),
		clearPending: async () => void (pending = undefined)
	};
}

export interface EnrollDeps {
	db: EscaleDb;
	transport: Transport;
	credentials: CredentialStore;
	appVersion: string;
	now?: () => Date;
}

export type EnrollOutcome = { ok: true; credentials: DeviceCredentials } | TransportFailure;

/**
 * The secret for an enrollment with `code`: the one made for the same code before (its answer never came),
 * or a new one, stored before anything is sent so that a retry after the app died still has it.
 */
async function secretFor(store: CredentialStore, code: string): Promise<string> {
	const normalized = normalizeEnrollmentCode(code) ?? code;
	const pending = await store.loadPending();
	if (pending?.code === normalized) return pending.secret;
	const secret = createDeviceSecret();
	await store.savePending({ code: normalized, secret });
	return secret;
}

/**
 * Enrolls the tablet with `code` ("ABCD-2345"). On success the credentials are saved first, then the
 * snapshot and cursor in one Dexie transaction: if the app dies between the two, the next pull (cursor
 * null) fetches everything again, whereas the reverse order would lose the identity the code was spent on.
 * A failure keeps the pending secret: trying the same code again is always safe.
 */
export async function enroll(deps: EnrollDeps, code: string): Promise<EnrollOutcome> {
	const secret = await secretFor(deps.credentials, code.trim());
	const request: EnrollRequest = {
		protocol: PROTOCOL_VERSION,
		code: code.trim(),
		appVersion: deps.appVersion,
		secretHash: await hashDeviceSecret(secret)
	};
	const result = await deps.transport.post('/api/sync/enroll', request, EnrollResponseSchema);
	if (!result.ok) return result;
	const body = result.body;
	const credentials: DeviceCredentials = {
		deviceId: body.deviceId,
		token: makeToken(body.deviceId, secret),
		busId: body.bus.id,
		enrolledAt: (deps.now?.() ?? new Date()).toISOString()
	};
	await deps.credentials.save(credentials);
	await deps.credentials.clearPending();
	await applySnapshot(deps.db, body);
	return { ok: true, credentials };
}
