import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ErrorBodySchema } from '$lib/sync/protocol';
import { issueEnrollmentCode } from './codes';
import { ENROLL_LIMITS, EnrollLimiter } from './enroll-limits';
import { handleEnroll } from './http';
import { A, enrollmentRequest, NOW, openFixtureStore, post } from '$factories/sync';

type FixtureStore = Awaited<ReturnType<typeof openFixtureStore>>;

/** An attempt from `address` at `at` seconds after NOW. */
async function attempt(
	store: FixtureStore,
	limiter: EnrollLimiter,
	address: string,
	code = 'ZZZZ-ZZZZ',
	at = 0
) {
	const { body } = await enrollmentRequest(code);
	return handleEnroll(store, post('enroll', body), () => new Date(NOW.getTime() + at * 1000), {
		limiter,
		clientAddress: address
	});
}

const { perAddress, overall } = ENROLL_LIMITS;

describe('enrollment attempts', () => {
	it(`are answered 429 with Retry-After after ${perAddress.capacity} wrong codes from one address, which is not even looked up`, async () => {
		const store = await openFixtureStore();
		const limiter = new EnrollLimiter();
		for (let i = 0; i < perAddress.capacity; i++) {
			expect((await attempt(store, limiter, '198.51.100.7')).status).toBe(400);
		}
		const { code } = await issueEnrollmentCode(store, A.bus);
		const limited = await attempt(store, limiter, '198.51.100.7', code);
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBe(Math.ceil(1 / perAddress.refillPerSecond));
		const body: unknown = await limited.json();
		expect(v.is(ErrorBodySchema, body)).toBe(true);
		expect(body).toMatchObject({ error: { code: 'rate_limited' } });
		expect((await store.syncStats.countRows()).devices).toBe(0);

		// Another address is not held back, and this one may try again once Retry-After has passed.
		expect((await attempt(store, limiter, '198.51.100.8')).status).toBe(400);
		expect((await attempt(store, limiter, '198.51.100.7', code, 10)).status).toBe(201);
	});

	it('count an IPv6 client per /64, as one subscriber gets a whole /64', async () => {
		const store = await openFixtureStore();
		const limiter = new EnrollLimiter();
		for (let i = 0; i < perAddress.capacity; i++) {
			expect((await attempt(store, limiter, `2001:db8:1:2::${i + 1}`)).status).toBe(400);
		}
		expect((await attempt(store, limiter, '2001:db8:1:2:ffff::1')).status).toBe(429);
		expect((await attempt(store, limiter, '2001:db8:1:3::1')).status).toBe(400);
	});

	it(`are answered 429 for everyone after ${overall.capacity} wrong codes from many addresses`, async () => {
		const store = await openFixtureStore();
		const limiter = new EnrollLimiter();
		for (let i = 0; i < overall.capacity; i++) {
			expect((await attempt(store, limiter, `203.0.113.${i}`)).status).toBe(400);
		}
		const limited = await attempt(store, limiter, '192.0.2.99');
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBe(1);
	});

	it('hold across processes: two stores on one database share the buckets', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'escale-enroll-'));
		try {
			const file = join(dir, 'escale.sqlite');
			const one = await openFixtureStore({ file });
			const two = await openFixtureStore({ file });
			const limiter = new EnrollLimiter();
			for (let i = 0; i < perAddress.capacity; i++) {
				expect((await attempt(i % 2 ? one : two, limiter, '198.51.100.7')).status).toBe(400);
			}
			expect((await attempt(one, limiter, '198.51.100.7')).status).toBe(429);
			expect((await attempt(two, limiter, '198.51.100.7')).status).toBe(429);
			await one.close();
			await two.close();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('count only failures: crews enrolling tablet after tablet from one office are never held back', async () => {
		const store = await openFixtureStore();
		const limiter = new EnrollLimiter();
		for (let i = 0; i < perAddress.capacity * 2; i++) {
			const { code } = await issueEnrollmentCode(store, A.bus);
			expect((await attempt(store, limiter, '192.0.2.1', code)).status).toBe(201);
		}
	});
});
