import { describe, expect, it } from 'vitest';
import { A, B, now, NOW, openFixtureStore, post } from './test-fixtures';
import { issueEnrollmentCode } from './codes';
import { handleEnroll } from './http';

const enrollWith = (store: Awaited<ReturnType<typeof openFixtureStore>>, code: string) =>
	handleEnroll(store, post('enroll', { protocol: 1, code, appVersion: '1.0.0' }), now);

describe('enrollment', () => {
	it('turns a good code into a device, a token and the snapshot of its bus', async () => {
		const store = await openFixtureStore();
		const { code } = await issueEnrollmentCode(store, A.bus, now);

		const response = await enrollWith(store, code);
		expect(response.status).toBe(201);
		expect(response.headers.get('cache-control')).toBe('no-store');
		const body = await response.json();
		expect(body).toMatchObject({ protocol: 1, bus: { id: A.bus }, serverTime: NOW.toISOString() });
		expect(body.token).toMatch(new RegExp(`^${body.deviceId}\\.[A-Za-z0-9_-]{43}$`));
		expect(body.snapshot.stops.map((s: { id: string }) => s.id)).toEqual([A.stop]);
		expect(body.snapshot.serviceDays.map((d: { id: string }) => d.id)).toEqual([...A.days]);
		expect(body.snapshot.serviceDays[0]).not.toHaveProperty('revision');
		expect(body.snapshot.cursor).toMatch(/^c1\./);

		const device = await store.devices.get(body.deviceId);
		expect(device).toMatchObject({ busId: A.bus, lastMutationId: 0, revokedAt: null });
		expect(device?.secretHash).not.toContain(body.token.split('.')[1]);
	});

	it('accepts the code in lower case and without its dash', async () => {
		const store = await openFixtureStore();
		const { code } = await issueEnrollmentCode(store, B.bus, now);
		const response = await enrollWith(store, code.replace('-', '').toLowerCase());
		expect(response.status).toBe(201);
		expect((await response.json()).bus.id).toBe(B.bus);
	});

	it('works once: the same code a second time is refused and makes no second device', async () => {
		const store = await openFixtureStore();
		const { code } = await issueEnrollmentCode(store, A.bus, now);
		expect((await enrollWith(store, code)).status).toBe(201);

		const again = await enrollWith(store, code);
		expect(again.status).toBe(400);
		expect((await again.json()).error).toMatchObject({ code: 'enrollment_code_invalid', path: 'code' });
		expect((await store.syncStats.countRows()).devices).toBe(1);
	});

	it('refuses an unknown code, a malformed one and an expired one', async () => {
		const store = await openFixtureStore();
		const old = await issueEnrollmentCode(store, A.bus, () => new Date(NOW.getTime() - 8 * 24 * 3600 * 1000));
		for (const code of ['ABCD-2345', 'IIII-LLLL', '', old.code]) {
			const response = await enrollWith(store, code);
			expect(response.status).toBe(400);
			expect((await response.json()).error.code).toBe('enrollment_code_invalid');
		}
		expect((await store.syncStats.countRows()).devices).toBe(0);
	});

	it('refuses an unknown protocol version with its own code', async () => {
		const store = await openFixtureStore();
		const response = await handleEnroll(
			store,
			post('enroll', { protocol: 2, code: 'x', appVersion: '1' }),
			now
		);
		expect(response.status).toBe(400);
		expect((await response.json()).error).toMatchObject({ code: 'protocol_unsupported', path: 'protocol' });
	});
});
