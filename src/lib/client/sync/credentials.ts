/**
 * The tablet's identity on the server: device id, bearer token and bus, kept with idb-keyval in a database
 * of its own (never in the records' database, whose tables the crew's data and exports go through).
 * `enroll` trades a one-time code for that identity and the snapshot the tablet needs to work offline.
 */
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import { EnrollResponseSchema, PROTOCOL_VERSION, type EnrollRequest } from '$lib/sync';
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

export interface CredentialStore {
	load(): Promise<DeviceCredentials | undefined>;
	save(credentials: DeviceCredentials): Promise<void>;
	clear(): Promise<void>;
}

const KEY = 'device';

/** The credentials in IndexedDB database `escale-device` (opened on first use, never during SSR). */
export function idbCredentialStore(dbName = 'escale-device'): CredentialStore {
	let store: UseStore | undefined;
	const open = () => (store ??= createStore(dbName, 'credentials'));
	return {
		load: () => get<DeviceCredentials>(KEY, open()),
		save: (credentials) => set(KEY, credentials, open()),
		clear: () => del(KEY, open())
	};
}

/** Credentials in memory: for tests and for browsers without IndexedDB (the app then warns anyway). */
export function memoryCredentialStore(initial?: DeviceCredentials): CredentialStore {
	let current = initial;
	return {
		load: async () => current,
		save: async (credentials) => void (current = credentials),
		clear: async () => void (current = undefined)
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
 * Enrolls the tablet with `code` ("ABCD-2345"). On success the credentials are saved first, then the
 * snapshot and cursor in one Dexie transaction: if the app dies between the two, the next pull (cursor
 * null) fetches everything again, whereas the reverse order would lose the identity the code was spent on.
 */
export async function enroll(deps: EnrollDeps, code: string): Promise<EnrollOutcome> {
	const request: EnrollRequest = {
		protocol: PROTOCOL_VERSION,
		code: code.trim(),
		appVersion: deps.appVersion
	};
	const result = await deps.transport.post('/api/sync/enroll', request, EnrollResponseSchema);
	if (!result.ok) return result;
	const body = result.body;
	const credentials: DeviceCredentials = {
		deviceId: body.deviceId,
		token: body.token,
		busId: body.bus.id,
		enrolledAt: (deps.now?.() ?? new Date()).toISOString()
	};
	await deps.credentials.save(credentials);
	await applySnapshot(deps.db, body);
	return { ok: true, credentials };
}
