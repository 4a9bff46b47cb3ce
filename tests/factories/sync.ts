/**
 * The sync handlers' world for tests: a store with two buses, A and B, each with a stop at Châteauroux and
 * two service days, and helpers that build requests and enroll devices (tests/factories/records.ts makes what
 * the devices push).
 */
import { makeToken } from '$lib/sync/enroll';
import { PROTOCOL_VERSION } from '$lib/sync/protocol';
import { createDeviceSecret, hashDeviceSecret } from '$lib/sync/secret';
import { issueEnrollmentCode } from '$lib/server/sync/codes';
import { EnrollLimiter } from '$lib/server/sync/enroll-limits';
import { handleEnroll } from '$lib/server/sync/http';
import type { Store } from '$lib/server/store/store';
import { makeBus } from './bus';
import { CHATEAUROUX, makeServiceDay, makeStop } from './schedule';
import { openTestStore, seedSchedule, type TestStoreOptions } from './store';

export const NOW = new Date('2026-03-10T09:00:00.000Z');
export const now = () => NOW;

export const A = {
	bus: 'fs-101',
	stop: 'fs-101-mairie',
	days: ['fs-101-mardi-am@2026-03-10', 'fs-101-mardi-am@2026-03-17']
} as const;
export const B = {
	bus: 'fs-202',
	stop: 'fs-202-mairie',
	days: ['fs-202-mardi-am@2026-03-10', 'fs-202-mardi-am@2026-03-17']
} as const;

/** A morning of the fixture's buses at their stop (no rule: the days stand on their own). */
const morning = (id: string, busId: string, stopId: string, date: string) =>
	makeServiceDay({ id, busId, stopId, ruleId: null, date });

/** Buses A and B, their stops, and the days in `dates` (both Tuesdays when left out). */
export function seedTwoBuses(dates: readonly string[] = ['2026-03-10', '2026-03-17']) {
	return seedSchedule({
		buses: [makeBus({ id: A.bus, name: 'Bus A' }), makeBus({ id: B.bus, name: 'Bus B' })],
		stops: [
			makeStop({ id: A.stop, busId: A.bus, ...CHATEAUROUX }),
			makeStop({ id: B.stop, busId: B.bus, ...CHATEAUROUX })
		],
		days: [
			...dates.map((date, i) => morning(A.days[i] ?? '', A.bus, A.stop, date)),
			...dates.map((date, i) => morning(B.days[i] ?? '', B.bus, B.stop, date))
		]
	});
}

/** The two buses' store on the fixture's clock (in memory unless `file` is given). */
export function openFixtureStore(options: Pick<TestStoreOptions, 'file'> = {}): Promise<Store> {
	return openTestStore({ ...options, now: () => NOW.toISOString(), seed: seedTwoBuses() });
}

export function post(
	path: string,
	body: unknown,
	token?: string,
	headers: Record<string, string> = {}
): Request {
	return new Request(`http://escale.test/api/sync/${path}`, {
		method: 'POST',
		headers: {
			'Content-Type': 'application/json',
			...(token ? { Authorization: `Bearer ${token}` } : {}),
			...headers
		},
		body: typeof body === 'string' ? body : JSON.stringify(body)
	});
}

/** An enrollment request as a tablet sends it, with the secret the tablet made for it. */
export async function enrollmentRequest(
	code: string,
	fields: { appVersion?: string; secret?: string } = {}
): Promise<{ body: Record<string, unknown>; secret: string }> {
	const secret = fields.secret ?? createDeviceSecret();
	const body = {
		protocol: PROTOCOL_VERSION,
		code,
		appVersion: fields.appVersion ?? '1.0.0',
		secretHash: await hashDeviceSecret(secret)
	};
	return { body, secret };
}

/** Issues a code for the bus and enrolls a device with it; returns its id and token. */
export async function enrollDevice(
	store: Store,
	busId: string
): Promise<{ deviceId: string; token: string }> {
	const { code } = await issueEnrollmentCode(store, busId, now);
	const { body, secret } = await enrollmentRequest(code);
	const response = await handleEnroll(store, post('enroll', body), now, { limiter: new EnrollLimiter() });
	if (response.status !== 201)
		throw new Error(`enrollment failed: ${response.status} ${await response.text()}`);
	const { deviceId } = (await response.json()) as { deviceId: string };
	return { deviceId, token: makeToken(deviceId, secret) };
}
