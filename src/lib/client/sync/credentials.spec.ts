import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Bus, ServiceDay, Stop } from '$lib/domain/schedule';
import { getMeta } from '$lib/client/db/meta';
import { listPending } from '$lib/client/db/outbox';
import { getReferral } from '$lib/client/db/referrals';
import { getBus, listStops } from '$lib/client/db/schedule';
import { aReferral, aVisit, openTestDb } from '$lib/client/db/testing';
import { recordVisit } from '$lib/client/db/visits';
import { enroll, idbCredentialStore, memoryCredentialStore } from './credentials';
import { errorResponse, jsonResponse, recordingFetch } from './testing';
import { createTransport } from './transport';
import { makeBus } from '../../../../tests/factories/bus';

const bus: Bus = makeBus({ id: 'fs-1', anctId: 'ANCT-1', name: 'France services itinérant du Pays Test' });
const stop: Stop = {
	id: 'stop-1',
	busId: 'fs-1',
	insee: '23001',
	commune: 'Ahun',
	postalCode: '23150',
	place: 'Place du marché',
	address: null,
	accessNotes: null,
	latitude: 46.08,
	longitude: 2.04
};
const day: ServiceDay = {
	id: 'rule-1@2026-03-10',
	busId: 'fs-1',
	stopId: 'stop-1',
	ruleId: 'rule-1',
	date: '2026-03-10',
	start: '09:00',
	end: '12:00',
	status: 'planned',
	reason: null
};
const token = 'device-abc.' + 'x'.repeat(43);

function enrollmentAnswer(referrals: unknown[]) {
	return {
		protocol: 1,
		deviceId: 'device-abc',
		token,
		bus,
		referenceVersion: '2026.1',
		serverTime: '2026-03-10T08:00:00.000Z',
		snapshot: { stops: [stop], serviceDays: [day], referrals, cursor: 'c1.7' }
	};
}

describe('enrollment', () => {
	it('stores the identity, the schedule, the referrals and the cursor, and numbers the queue from 1', async () => {
		const db = openTestDb();
		const referral = aReferral();
		const { fetch, sent } = recordingFetch(() => jsonResponse(enrollmentAnswer([referral]), 201));
		const credentials = memoryCredentialStore();
		const outcome = await enroll(
			{ db, transport: createTransport({ fetch }), credentials, appVersion: '0.1.0' },
			' abcd-2345 '
		);
		expect(outcome).toMatchObject({ ok: true, credentials: { deviceId: 'device-abc', busId: 'fs-1' } });
		expect(sent[0]?.body).toEqual({ protocol: 1, code: 'abcd-2345', appVersion: '0.1.0' });
		expect(sent[0]?.headers.get('authorization')).toBeNull();
		expect(await credentials.load()).toMatchObject({ token });
		expect(await getBus(db, 'fs-1')).toEqual(bus);
		expect(await listStops(db, 'fs-1')).toEqual([stop]);
		expect(await getReferral(db, referral.id)).toEqual(referral);
		expect(await getMeta(db, 'sync.cursor')).toBe('c1.7');
		expect(await getMeta(db, 'device.id')).toBe('device-abc');
	});

	it('keeps visits recorded before enrollment and queues them under the new identity', async () => {
		const db = openTestDb();
		await recordVisit(db, aVisit());
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

describe('the credential store', () => {
	it('keeps the identity in its own IndexedDB database, across store instances', async () => {
		const identity = { deviceId: 'd', token, busId: 'fs-1', enrolledAt: '2026-03-10T08:00:00.000Z' };
		await idbCredentialStore('escale-device-test').save(identity);
		expect(await idbCredentialStore('escale-device-test').load()).toEqual(identity);
		await idbCredentialStore('escale-device-test').clear();
		expect(await idbCredentialStore('escale-device-test').load()).toBeUndefined();
	});
});
