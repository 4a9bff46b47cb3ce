/**
 * A few hundred generated bad requests: each gets a 4xx with the protocol's error body, and the database
 * does not change (row counts, and the device's acknowledgement ledger).
 */
import { gzipSync } from 'node:zlib';
import * as fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { ErrorBodySchema, LIMITS } from '$lib/sync/protocol';
import { handleEnroll, handlePull, handlePush, type SyncHandler } from './http';
import { A, enrollDevice, now, openFixtureStore } from '$factories/sync';
import { mutation, visit } from '$factories/records';

const HANDLERS: Record<string, SyncHandler> = { enroll: handleEnroll, push: handlePush, pull: handlePull };

interface BadRequest {
	endpoint: 'enroll' | 'push' | 'pull';
	body: string | Uint8Array<ArrayBuffer>;
	headers?: Readonly<Record<string, string>>;
	/** Replaces the valid token; `null` sends no Authorization header. */
	token?: string | null;
	/** A value the answer must not repeat (it could be personal data typed in the wrong field). */
	echo?: string;
	label: string;
}

const json = (value: unknown) => JSON.stringify(value);
const goodEnroll = {
	protocol: 1,
	code: 'ABCD-2345',
	appVersion: '1.0.0',
	secretHash: 'a'.repeat(64)
};
/** What a crew member might type in the wrong field. */
const personal = fc.constantFrom(
	'Dupont',
	'Jeanne Dupont',
	'0612345678',
	'06 12 34 56 78',
	'jean.dupont@mail.fr',
	'185057800608436',
	'1 85 05 78 006 084 36'
);
const goodVisit = visit(A.bus, A.days[0], '5b0f2c1e-8a4d-4e6b-9c3a-1f2e3d4c5b6a');
const goodMutation = mutation(1, 'visit.create', goodVisit.id, goodVisit);

/** Values no field of any request accepts. */
const alien = fc.oneof(
	fc.boolean(),
	fc.constant(null),
	fc.array(fc.integer(), { maxLength: 3 }),
	fc.object({ maxDepth: 1 })
);
const unknownKey = fc
	.string({ minLength: 1, maxLength: 12 })
	.filter(
		(key) =>
			![
				'protocol',
				'mutations',
				'cursor',
				'limit',
				'code',
				'appVersion',
				'secretHash',
				'mutationId',
				'kind',
				'entityId',
				'schemaVersion',
				'createdAt',
				'payload',
				'__proto__'
			].includes(key)
	);
const notJson = fc.string({ maxLength: 60 }).filter((text) => {
	try {
		JSON.parse(text);
		return false;
	} catch {
		return true;
	}
});
const endpoint = fc.constantFrom<BadRequest['endpoint']>('enroll', 'push', 'pull');

const badRequests: fc.Arbitrary<BadRequest> = fc.oneof(
	fc.record({ endpoint, body: notJson, label: fc.constant('malformed JSON') }),
	fc.record({
		endpoint,
		body: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.array(fc.integer())).map(json),
		label: fc.constant('not an object')
	}),
	fc.record({
		endpoint,
		body: fc
			.anything()
			.filter((p) => p !== 1)
			.map((protocol) =>
				json({ protocol, mutations: [goodMutation], cursor: null, code: 'ABCD-2345', appVersion: '1' })
			),
		label: fc.constant('wrong protocol')
	}),
	fc.record({
		endpoint: fc.constant('push' as const),
		body: fc
			.tuple(fc.constantFrom('mutationId', 'kind', 'entityId', 'schemaVersion', 'createdAt'), alien)
			.map(([field, value]) => json({ protocol: 1, mutations: [{ ...goodMutation, [field]: value }] })),
		label: fc.constant('wrong type in a mutation')
	}),
	fc.record({
		endpoint: fc.constant('push' as const),
		body: fc
			.constantFrom(0, -1, 1.5, Number.MAX_SAFE_INTEGER + 2)
			.map((id) => json({ protocol: 1, mutations: [{ ...goodMutation, mutationId: id }] })),
		label: fc.constant('bad mutation id')
	}),
	fc.record({
		endpoint: fc.constant('push' as const),
		body: fc
			.tuple(unknownKey, fc.boolean())
			.map(([key, top]) =>
				json(
					top
						? { protocol: 1, mutations: [goodMutation], [key]: 1 }
						: { protocol: 1, mutations: [{ ...goodMutation, [key]: 1 }] }
				)
			),
		label: fc.constant('extra key')
	}),
	fc.record({
		endpoint: fc.constant('push' as const),
		body: fc.integer({ min: LIMITS.maxMutationsPerPush + 1, max: 700 }).map((n) =>
			json({
				protocol: 1,
				mutations: Array.from({ length: n }, (_, i) => ({ ...goodMutation, mutationId: i + 1 }))
			})
		),
		label: fc.constant('too many mutations')
	}),
	fc.record({
		endpoint: fc.constant('push' as const),
		body: fc
			.constantFrom([], [goodMutation, goodMutation], [{ ...goodMutation, mutationId: 2 }, goodMutation])
			.map((mutations) => json({ protocol: 1, mutations })),
		label: fc.constant('empty or unordered batch')
	}),
	fc.record({
		endpoint: fc.constant('pull' as const),
		body: fc.oneof(
			alien.filter((cursor) => cursor !== null).map((cursor) => json({ protocol: 1, cursor })),
			fc
				.oneof(
					fc.integer({ max: 0 }),
					fc.integer({ min: 1001 }),
					fc.double({ min: 1.1, max: 9.9, noInteger: true }),
					alien
				)
				.map((limit) => json({ protocol: 1, cursor: null, limit })),
			fc
				.string({ maxLength: 20 })
				.filter((c) => !/^c1\.[0-9a-z]{1,3}$/.test(c))
				.map((cursor) => json({ protocol: 1, cursor })),
			unknownKey.map((key) => json({ protocol: 1, cursor: null, [key]: 1 }))
		),
		label: fc.constant('bad pull')
	}),
	fc.record({
		endpoint: fc.constant('enroll' as const),
		body: fc.oneof(
			fc
				.tuple(fc.constantFrom('code', 'appVersion', 'secretHash'), alien)
				.map(([field, value]) => json({ ...goodEnroll, [field]: value })),
			fc
				.constantFrom('', ' 1', 'x'.repeat(41), 'é', '1.0', '01.0.0', '1.0.0-dupont', '1.0.0+1234567')
				.map((appVersion) => json({ ...goodEnroll, appVersion })),
			fc
				.constantFrom('', 'A'.repeat(64), 'a'.repeat(63), 'g'.repeat(64), 'x'.repeat(43))
				.map((secretHash) => json({ ...goodEnroll, secretHash })),
			fc.constantFrom('secretHash', 'appVersion', 'code').map((field) => {
				const { [field as keyof typeof goodEnroll]: _left, ...rest } = goodEnroll;
				return json(rest);
			}),
			fc.string({ maxLength: 20 }).map((code) => json({ ...goodEnroll, code })),
			unknownKey.map((key) => json({ ...goodEnroll, [key]: 1 }))
		),
		label: fc.constant('bad enroll')
	}),
	fc.tuple(personal, fc.constantFrom('appVersion', 'secretHash')).map(([value, field]): BadRequest => ({
		endpoint: 'enroll',
		body: json({ ...goodEnroll, [field]: value }),
		echo: value,
		label: `personal data as ${field}`
	})),
	personal.map((value): BadRequest => ({
		endpoint: 'pull',
		body: json({ protocol: 1, cursor: value }),
		echo: value,
		label: 'personal data as the cursor'
	})),
	fc
		.tuple(personal, fc.constantFrom('mutationId', 'schemaVersion', 'createdAt'))
		.map(([value, field]): BadRequest => ({
			endpoint: 'push',
			body: json({ protocol: 1, mutations: [{ ...goodMutation, [field]: value }] }),
			echo: value,
			label: `personal data as ${field}`
		})),
	personal.map((value): BadRequest => ({
		endpoint: 'push',
		body: json({ protocol: 1, mutations: [{ ...goodMutation, entityId: value.repeat(30) }] }),
		echo: value,
		label: 'an overlong entityId'
	})),
	personal.map((value): BadRequest => ({
		endpoint: 'push',
		body: json({ protocol: 1, mutations: [{ ...goodMutation, [value]: 1 }] }),
		echo: value,
		label: 'personal data as a key'
	})),
	fc.record({
		endpoint,
		body: fc.uint8Array({ minLength: 0, maxLength: 64 }).map((bytes) => new Uint8Array(bytes)),
		headers: fc.constant({ 'Content-Encoding': 'gzip' }),
		label: fc.constant('bad gzip')
	}),
	fc.record({
		endpoint,
		body: fc.integer({ min: 1, max: 30 }).map((cut) => {
			const whole = gzipSync(json({ protocol: 1, mutations: [goodMutation], cursor: null }));
			return new Uint8Array(whole.subarray(0, Math.max(0, whole.length - cut)));
		}),
		headers: fc.constant({ 'Content-Encoding': 'gzip' }),
		label: fc.constant('truncated gzip')
	}),
	fc.record({
		endpoint,
		body: fc.constant(json({ protocol: 1, cursor: null })),
		headers: fc.constantFrom<Readonly<Record<string, string>>>(
			{ 'Content-Type': 'text/plain' },
			{ 'Content-Encoding': 'br' },
			{ 'Content-Type': 'text/html' }
		),
		label: fc.constant('unsupported media type')
	}),
	fc.record({
		endpoint: fc.constantFrom('push' as const, 'pull' as const),
		body: fc.constant(json({ protocol: 1, mutations: [goodMutation], cursor: null })),
		token: fc.oneof(
			fc.constant(null),
			fc.string({ maxLength: 80 }),
			fc.constant(`dev-unknown-device.${'A'.repeat(43)}`)
		),
		label: fc.constant('bad token')
	})
);

/** Oversized bodies, plain and as a gzip bomb: built once, they are large. */
function oversized(): BadRequest[] {
	const big = (bytes: number) => json({ protocol: 1, cursor: null, pad: ' '.repeat(bytes) });
	return [
		{ endpoint: 'pull', body: big(LIMITS.maxSmallBodyBytes), label: 'oversized pull' },
		{ endpoint: 'enroll', body: big(LIMITS.maxSmallBodyBytes), label: 'oversized enroll' },
		{ endpoint: 'push', body: big(LIMITS.maxPushBytes), label: 'oversized push' },
		{
			endpoint: 'push',
			body: new Uint8Array(gzipSync(big(LIMITS.maxPushBytes * 2))),
			headers: { 'Content-Encoding': 'gzip' },
			label: 'gzip bomb'
		}
	];
}

describe('bad input', () => {
	it('gets a 4xx naming the problem and stores nothing, for a few hundred generated bad requests', async () => {
		const store = await openFixtureStore();
		const device = await enrollDevice(store, A.bus);
		const before = await store.syncStats.countRows();
		const statuses = new Map<number, number>();

		const check = async (bad: BadRequest) => {
			const token = bad.token === undefined ? device.token : bad.token;
			const request = new Request(`http://escale.test/api/sync/${bad.endpoint}`, {
				method: 'POST',
				headers: {
					'Content-Type': 'application/json',
					...(token === null ? {} : { Authorization: `Bearer ${token}` }),
					...bad.headers
				},
				body: bad.body
			});
			const response = await HANDLERS[bad.endpoint]!(store, request, now);
			statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
			expect(response.status, bad.label).toBeGreaterThanOrEqual(400);
			expect(response.status, bad.label).toBeLessThan(500);
			expect(response.headers.get('content-type')).toMatch(/^application\/json/);
			const text = await response.text();
			const body: unknown = JSON.parse(text);
			expect(v.is(ErrorBodySchema, body), bad.label).toBe(true);
			expect((body as { error: { message: string } }).error.message.length).toBeGreaterThan(5);
			if (bad.echo !== undefined) expect(text, bad.label).not.toContain(bad.echo);
		};

		for (const bad of oversized()) await check(bad);
		await fc.assert(fc.asyncProperty(badRequests, check), { numRuns: 300 });

		expect(await store.syncStats.countRows()).toEqual(before);
		expect((await store.devices.get(device.deviceId))?.lastMutationId).toBe(0);
		expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([400, 401, 413, 415]));
	}, 60_000);

	it('refuses a body that is not UTF-8, gzip or not, and reads one that starts with a byte order mark', async () => {
		const store = await openFixtureStore();
		const device = await enrollDevice(store, A.bus);
		const send = (body: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
			handlePush(
				store,
				new Request('http://escale.test/api/sync/push', {
					method: 'POST',
					headers: {
						'Content-Type': 'application/json',
						Authorization: `Bearer ${device.token}`,
						...headers
					},
					body
				}),
				now
			);
		const good = new TextEncoder().encode(json({ protocol: 1, mutations: [goodMutation] }));
		// A lone continuation byte inside a string: not UTF-8.
		const broken = new Uint8Array([...good.slice(0, 20), 0x80, ...good.slice(20)]);
		for (const answer of [
			await send(broken),
			await send(new Uint8Array(gzipSync(broken)), { 'Content-Encoding': 'gzip' })
		]) {
			expect(answer.status).toBe(400);
			expect((await answer.json()).error).toMatchObject({
				code: 'invalid_body',
				message: 'Corps de requête illisible (UTF-8 attendu)'
			});
		}
		const withMark = await send(new Uint8Array([0xef, 0xbb, 0xbf, ...good]));
		expect(withMark.status).toBe(200);
		expect((await withMark.json()).results).toEqual([{ mutationId: 1, status: 'applied' }]);
	});
});
