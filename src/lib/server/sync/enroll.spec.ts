import { describe, expect, it } from 'vitest';
import { hashDeviceSecret } from '$lib/sync/secret';
import { A, B, enrollmentRequest, now, NOW, openFixtureStore, post } from '$factories/sync';
import { issueEnrollmentCode, revokeDevice } from './codes';
import { EnrollLimiter } from './enroll-limits';
import { handleEnroll } from './http';

type FixtureStore = Awaited<ReturnType<typeof openFixtureStore>>;

/** Enrolls with a fresh limiter (or the one given), as a tablet would: the secret made for this code. */
async function enrollWith(
	store: FixtureStore,
	code: string,
	options: { secret?: string; appVersion?: string; limiter?: EnrollLimiter; address?: string } = {}
) {
	const { body, secret } = await enrollmentRequest(code, options);
	const response = await handleEnroll(store, post('enroll', body), now, {
		limiter: options.limiter ?? new EnrollLimiter(),
		clientAddress: options.address ?? '192.0.2.10'
	});
	return { response, secret };
}

describe('enrollment', () => {
	it("turns a good code into a device holding the digest of the tablet's secret, and the snapshot of its bus", async () => {
		const store = await openFixtureStore();
		const { code } = await issueEnrollmentCode(store, A.bus, now);

		const { response, secret } = await enrollWith(store, code);
		expect(response.status).toBe(201);
		expect(response.headers.get('cache-control')).toBe('no-store');
		const body = await response.json();
		expect(body).toMatchObject({ protocol: 2, bus: { id: A.bus }, serverTime: NOW.toISOString() });
		expect(body).not.toHaveProperty('token');
		expect(JSON.stringify(body)).not.toContain(secret);
		expect(body.snapshot.stops.map((s: { id: string }) => s.id)).toEqual([A.stop]);
		expect(body.snapshot.serviceDays.map((d: { id: string }) => d.id)).toEqual([...A.days]);
		expect(body.snapshot.serviceDays[0]).not.toHaveProperty('revision');
		expect(body.snapshot.cursor).toMatch(/^c1\./);

		const device = await store.devices.get(body.deviceId);
		expect(device).toMatchObject({ busId: A.bus, lastMutationId: 0, revokedAt: null });
		expect(device?.secretHash).toBe(await hashDeviceSecret(secret));
	});

	it('accepts the code in lower case and without its dash', async () => {
		const store = await openFixtureStore();
		const { code } = await issueEnrollmentCode(store, B.bus, now);
		const { response } = await enrollWith(store, code.replace('-', '').toLowerCase());
		expect(response.status).toBe(201);
		expect((await response.json()).bus.id).toBe(B.bus);
	});

	it('gives the same device again to the same code and secret digest, as when the first answer was lost', async () => {
		const store = await openFixtureStore();
		const { code } = await issueEnrollmentCode(store, A.bus, now);
		const first = await enrollWith(store, code);
		const firstBody = await first.response.json();

		for (let retry = 0; retry < 10; retry++) {
			const again = await enrollWith(store, code, { secret: first.secret });
			expect(again.response.status).toBe(201);
			const body = await again.response.json();
			expect(body.deviceId).toBe(firstBody.deviceId);
			expect(body.snapshot.serviceDays).toEqual(firstBody.snapshot.serviceDays);
		}
		expect((await store.syncStats.countRows()).devices).toBe(1);
	});

	it('refuses a spent code with another secret, and makes no second device', async () => {
		const store = await openFixtureStore();
		const { code } = await issueEnrollmentCode(store, A.bus, now);
		expect((await enrollWith(store, code)).response.status).toBe(201);

		const { response } = await enrollWith(store, code);
		expect(response.status).toBe(400);
		expect((await response.json()).error).toMatchObject({ code: 'enrollment_code_invalid', path: 'code' });
		expect((await store.syncStats.countRows()).devices).toBe(1);
	});

	it('refuses a retry for a device revoked since', async () => {
		const store = await openFixtureStore();
		const { code } = await issueEnrollmentCode(store, A.bus, now);
		const first = await enrollWith(store, code);
		await revokeDevice(store, (await first.response.json()).deviceId, now);
		const { response } = await enrollWith(store, code, { secret: first.secret });
		expect((await response.json()).error.code).toBe('enrollment_code_invalid');
	});

	it('refuses an unknown code, a malformed one and an expired one', async () => {
		const store = await openFixtureStore();
		const old = await issueEnrollmentCode(store, A.bus, () => new Date(NOW.getTime() - 8 * 24 * 3600 * 1000));
		for (const code of ['ABCD-2345', 'IIII-LLLL', '', old.code]) {
			const { response } = await enrollWith(store, code);
			expect(response.status).toBe(400);
			expect((await response.json()).error.code).toBe('enrollment_code_invalid');
		}
		expect((await store.syncStats.countRows()).devices).toBe(0);
	});

	it('refuses a request without the digest of a secret made by the tablet (a server-made secret is no more)', async () => {
		const store = await openFixtureStore();
		const { code } = await issueEnrollmentCode(store, A.bus, now);
		const response = await handleEnroll(
			store,
			post('enroll', { protocol: 1, code, appVersion: '1.0.0' }),
			now,
			{
				limiter: new EnrollLimiter()
			}
		);
		expect(response.status).toBe(400);
		expect((await response.json()).error).toMatchObject({ code: 'invalid_body', path: 'secretHash' });
		expect((await store.syncStats.countRows()).devices).toBe(0);
	});

	it('takes a version string as the app version, never a name or a phone number', async () => {
		const store = await openFixtureStore();
		for (const appVersion of ['1.4.0', '0.1.0+abc', '2.0.0-rc.1']) {
			const { code } = await issueEnrollmentCode(store, A.bus, now);
			expect((await enrollWith(store, code, { appVersion })).response.status, appVersion).toBe(201);
		}
		for (const appVersion of [
			'0612345678',
			'Dupont',
			'1.0.0-dupont',
			'1.0.0+0612345678',
			'e2e',
			'06.12.34.56.78'
		]) {
			const { code } = await issueEnrollmentCode(store, A.bus, now);
			const { response } = await enrollWith(store, code, { appVersion });
			expect(response.status, appVersion).toBe(400);
			const { error } = await response.json();
			expect(error).toMatchObject({ code: 'invalid_body', path: 'appVersion' });
			expect(error.message).not.toContain(appVersion);
		}
		expect((await store.syncStats.countRows()).devices).toBe(3);
	});

	it('answers a protocol 1 request (a tablet on an older app) in protocol 1, as before', async () => {
		const store = await openFixtureStore();
		const { code } = await issueEnrollmentCode(store, A.bus, now);
		const { body } = await enrollmentRequest(code);
		const response = await handleEnroll(store, post('enroll', { ...body, protocol: 1 }), now, {
			limiter: new EnrollLimiter()
		});
		expect(response.status).toBe(201);
		expect(await response.json()).toMatchObject({ protocol: 1, bus: { id: A.bus } });
	});

	it('refuses an unknown protocol version with its own code', async () => {
		const store = await openFixtureStore();
		const response = await handleEnroll(
			store,
			post('enroll', { protocol: 3, code: 'x', appVersion: '1' }),
			now
		);
		expect(response.status).toBe(400);
		expect((await response.json()).error).toMatchObject({ code: 'protocol_unsupported', path: 'protocol' });
	});
});
