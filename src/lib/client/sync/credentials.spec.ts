import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Bus, ServiceDay, Stop } from '$lib/domain/schedule';
import { getMeta } from '$lib/client/db/meta';
import { listPending } from '$lib/client/db/outbox';
import { getReferral } from '$lib/client/db/referrals';
import { getBus, listStops } from '$lib/client/db/schedule';
import { openTestDb } from '$lib/client/db/testing';
import { makeReferral } from '$factories/referral';
import { makeVisit } from '$factories/visit';
import { recordVisit } from '$lib/client/db/visits';
import { hashDeviceSecret } from '$lib/sync/secret';
import { enroll, idbCredentialStore, memoryCredentialStore, type CredentialStore } from './credentials';
import { errorResponse, jsonResponse, recordingFetch, type SentRequest } from './testing';
import { createTransport } from './transport';
import { makeBus } from '$factories/bus';
import { makeServiceDay, makeStop } from '$factories/schedule';

const bus: Bus = makeBus({ id: 'fs-1', anctId: 'ANCT-1', name: 'France services itinérant du Pays Test' });
const stop: Stop = makeStop();
const day: ServiceDay = makeServiceDay();
const token = 'device-abc.' + 'x'.repeat(43);

function enrollmentAnswer(referrals: unknown[]) {
	return {
		protocol: 2,
		deviceId: 'device-abc',
		bus,
		referenceVersion: '2026.1',
		serverTime: '2026-03-10T08:00:00.000Z',
		snapshot: { stops: [stop], serviceDays: [day], referrals, cursor: 'c1.7' }
	};
}

describe('enrollment', () => {
	it('stores the identity, the schedule, the referrals and the cursor, and numbers the queue from 1', async () => {
		const db = openTestDb();
		const referral = makeReferral();
		const { fetch, sent } = recordingFetch(() => jsonResponse(enrollmentAnswer([referral]), 201));
		const credentials = memoryCredentialStore();
		const outcome = await enroll(
			{ db, transport: createTransport({ fetch }), credentials, appVersion: '0.1.0' },
			' abcd-2345 '
		);
		expect(outcome).toMatchObject({ ok: true, credentials: { deviceId: 'device-abc', busId: 'fs-1' } });
		expect(sent[0]?.body).toEqual({
			protocol: 2,
			code: 'abcd-2345',
			appVersion: '0.1.0',
			secretHash: expect.stringMatching(/^[0-9a-f]{64}$/)
		});
		expect(sent[0]?.headers.get('authorization')).toBeNull();
		const saved = await credentials.load();
		const secret = saved?.token.split('.')[1] ?? '';
		expect(saved?.token).toMatch(/^device-abc\.[A-Za-z0-9_-]{43}$/);
		expect(await hashDeviceSecret(secret)).toBe((sent[0]?.body as { secretHash: string }).secretHash);
		expect(JSON.stringify(sent)).not.toContain(secret);
		expect(await credentials.loadPending()).toBeUndefined();
		expect(await getBus(db, 'fs-1')).toEqual(bus);
		expect(await listStops(db, 'fs-1')).toEqual([stop]);
		expect(await getReferral(db, referral.id)).toEqual(referral);
		expect(await getMeta(db, 'sync.cursor')).toBe('c1.7');
		expect(await getMeta(db, 'device.id')).toBe('device-abc');
	});

	it('keeps visits recorded before enrollment and queues them under the new identity', async () => {
		const db = openTestDb();
		await recordVisit(db, makeVisit());
		const { fetch } = recordingFetch(() => jsonResponse(enrollmentAnswer([]), 201));
		await enroll(
			{
				db,
				transport: createTransport({ fetch }),
				credentials: memoryCredentialStore(),
				appVersion: '0.1.0'
			},
			'ABCD2345'
		);
		expect((await listPending(db, 10)).map((entry) => entry.mutationId)).toEqual([1]);
	});

	it('stores nothing when the code is refused, and says why', async () => {
		const db = openTestDb();
		const { fetch } = recordingFetch(() => errorResponse(400, 'enrollment_code_invalid'));
		const credentials = memoryCredentialStore();
		const outcome = await enroll(
			{ db, transport: createTransport({ fetch }), credentials, appVersion: '0.1.0' },
			'ZZZZ-9999'
		);
		expect(outcome).toMatchObject({ ok: false, kind: 'request_refused', code: 'enrollment_code_invalid' });
		expect(await credentials.load()).toBeUndefined();
		expect(await getMeta(db, 'sync.cursor')).toBeUndefined();
	});
});

describe('an enrollment whose answer is lost', () => {
	const offline = () => {
		throw new TypeError('Failed to fetch');
	};
	const digestOf = (request: SentRequest | undefined) => (request?.body as { secretHash: string }).secretHash;

	it('is sent again with the same secret for the same code, also after the app died, and a new one for another code', async () => {
		const db = openTestDb();
		let answer: () => Response = offline;
		const { fetch, sent } = recordingFetch(() => answer());
		const deps = (credentials: CredentialStore) => ({
			db,
			transport: createTransport({ fetch }),
			credentials,
			appVersion: '0.1.0'
		});
		expect(await enroll(deps(idbCredentialStore('escale-device-retry')), 'ABCD-2345')).toMatchObject({
			ok: false,
			kind: 'offline'
		});

		// The app starts again: a new store on the same IndexedDB database.
		answer = () => jsonResponse(enrollmentAnswer([]), 201);
		const restarted = idbCredentialStore('escale-device-retry');
		expect(await enroll(deps(restarted), 'abcd 2345')).toMatchObject({ ok: true });
		expect(digestOf(sent[1])).toBe(digestOf(sent[0]));
		expect(await hashDeviceSecret((await restarted.load())?.token.split('.')[1] ?? '')).toBe(
			digestOf(sent[0])
		);

		await enroll(deps(restarted), 'WXYZ-6789');
		expect(digestOf(sent[2])).not.toBe(digestOf(sent[0]));
		await restarted.clear();
	});

	it('is tried again later when the server says too many attempts (429), keeping its secret', async () => {
		const db = openTestDb();
		const { fetch, sent } = recordingFetch(() => errorResponse(429, 'rate_limited'));
		const credentials = memoryCredentialStore();
		const outcome = await enroll(
			{ db, transport: createTransport({ fetch }), credentials, appVersion: '0.1.0' },
			'ABCD-2345'
		);
		expect(outcome).toMatchObject({ ok: false, kind: 'server_error', status: 429 });
		expect(await credentials.load()).toBeUndefined();
		expect(await hashDeviceSecret((await credentials.loadPending())?.secret ?? '')).toBe(digestOf(sent[0]));
	});
});

describe('the credential store', () => {
	it('keeps the identity in its own IndexedDB database, across store instances', async () => {
		const identity = { deviceId: 'd', token, busId: 'fs-1', enrolledAt: '2026-03-10T08:00:00.000Z' };
		await idbCredentialStore('escale-device-test').save(identity);
		expect(await idbCredentialStore('escale-device-test').load()).toEqual(identity);
		await idbCredentialStore('escale-device-test').clear();
		expect(await idbCredentialStore('escale-device-test').load()).toBeUndefined();
	});
});
