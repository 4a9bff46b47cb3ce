/**
 * A check (protocol 2): the tablet sends the first 16 hexadecimal characters of each mutation's digest
 * instead of the mutations, for entries whose answer it lost, and the server answers each id from the
 * device's ledger alone: as the first time when the prefix matches, `id_reused` from the first that does
 * not, `unknown` above the ledger. It writes nothing.
 */
import { hash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTestDatabase } from '$factories/store';
import { mutation, visit } from '$factories/records';
import { A, B, enrollDevice, NOW, openFixtureStore, post } from '$factories/sync';
import {
	DIGEST_PREFIX_LENGTH,
	LIMITS,
	numberedMutations,
	rangeDigestText,
	toPushCheck,
	toPushRequest,
	type Mutation
} from '$lib/sync/protocol';
import type { Store } from '../store/store';
import { handlePush } from './http';
import { digestMutation } from './push';

type Result = { mutationId: number; status: string; reason?: string; detail?: string; through?: number };
type Answer = { protocol: number; results: Result[]; lastMutationId: number };

function sender(store: Store, token: string) {
	return async (body: unknown, at: Date = NOW) => {
		const response = await handlePush(store, post('push', body, token), () => at);
		expect(response.status).toBe(200);
		return (await response.json()) as Answer;
	};
}

function queued(records: { id: string }[], first: number): Mutation[] {
	return records.map(
		(record, i) => mutation(first + i, 'visit.create', record.id, record) as unknown as Mutation
	);
}
const visits = (count: number, day: string = A.days[0]) =>
	Array.from({ length: count }, () => visit(A.bus, day));
const outcomes = (answer: Answer) => answer.results.map((result) => result.reason ?? result.status);

/** The check the tablet would send for these mutations: each one's digest prefix, as the server computes it. */
function checkOf(mutations: Mutation[]) {
	const [wire] = [numberedMutations(toPushRequest(mutations))];
	return toPushCheck(
		wire.map((m) => ({ mutationId: m.mutationId, digest: digestMutation(m).slice(0, DIGEST_PREFIX_LENGTH) }))
	);
}

/** The range check the tablet would send for these mutations: SHA-256 of their prefixes end to end. */
function rangeCheckOf(mutations: Mutation[]) {
	const { digests, firstMutationId } = checkOf(mutations);
	return {
		protocol: 2,
		firstMutationId,
		lastMutationId: firstMutationId + digests.length - 1,
		rangeDigest: hash('sha256', rangeDigestText(digests), 'hex')
	};
}

async function setUp() {
	const store = await openFixtureStore();
	const device = await enrollDevice(store, A.bus);
	return { store, device, send: sender(store, device.token) };
}

describe('a check of mutations sent before', () => {
	it('answers an applied batch all duplicate, and writes nothing', async () => {
		const { store, device, send } = await setUp();
		const batch = queued(visits(4), 1);
		await send(toPushRequest(batch));
		const counts = await store.syncStats.countRows();
		const seen = (await store.devices.get(device.deviceId))?.lastSeenAt;

		const answer = await send(checkOf(batch), new Date(NOW.getTime() + 30_000));
		expect(answer.protocol).toBe(2);
		expect(answer.results).toEqual([1, 2, 3, 4].map((mutationId) => ({ mutationId, status: 'duplicate' })));
		expect(answer.lastMutationId).toBe(4);
		expect(await store.syncStats.countRows()).toEqual(counts);
		expect((await store.devices.get(device.deviceId))?.lastSeenAt).toBe(seen);
	});

	it('answers a rejected mutation with its recorded rejection again', async () => {
		const { send } = await setUp();
		const foreign = visit(A.bus, B.days[0]);
		const batch = queued([...visits(1), foreign, ...visits(1)], 1);
		const first = await send(toPushRequest(batch));
		expect(outcomes(first)).toEqual(['applied', 'not_found', 'applied']);

		const answer = await send(checkOf(batch));
		expect(answer.results).toEqual([
			{ mutationId: 1, status: 'duplicate' },
			first.results[1],
			{ mutationId: 3, status: 'duplicate' }
		]);
		expect(answer.results[1]?.detail).toMatch(/inconnu pour le bus/);
	});

	it('answers ids the server never acknowledged unknown, and applies nothing', async () => {
		const { store, send } = await setUp();
		const answer = await send(checkOf(queued(visits(3), 1)));
		expect(answer.results).toEqual([1, 2, 3].map((mutationId) => ({ mutationId, status: 'unknown' })));
		expect(answer.lastMutationId).toBe(0);
		expect((await store.syncStats.countRows()).visits).toBe(0);
	});

	it('answers a wrong prefix as a reused id, and every later id too', async () => {
		const { store, send } = await setUp();
		const batch = queued(visits(3), 1);
		await send(toPushRequest(batch));
		const other = queued(visits(1), 2);
		const check = checkOf([batch[0], ...other, batch[2]] as Mutation[]);

		const answer = await send(check);
		expect(outcomes(answer)).toEqual(['duplicate', 'id_reused', 'id_reused']);
		expect(answer.lastMutationId).toBe(3);
		expect((await store.syncStats.countRows()).visits).toBe(3);
	});

	it('answers a mixed check: duplicates, then a reused id, past which nothing is duplicate nor unknown', async () => {
		const { send } = await setUp();
		const batch = queued(visits(3), 1);
		await send(toPushRequest(batch));
		const check = checkOf([...batch, ...queued(visits(2), 4)]);
		expect(outcomes(await send(check))).toEqual([
			'duplicate',
			'duplicate',
			'duplicate',
			'unknown',
			'unknown'
		]);
		const wrong = { ...check, digests: check.digests.map((d, i) => (i === 1 ? '0'.repeat(16) : d)) };
		expect(outcomes(await send(wrong))).toEqual([
			'duplicate',
			'id_reused',
			'id_reused',
			'id_reused',
			'id_reused'
		]);
	});

	it('answers from the ledger without reading the records: visits removed since are still duplicates', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'escale-check-'));
		try {
			const file = join(dir, 'escale.sqlite');
			const store = await openFixtureStore({ file });
			const device = await enrollDevice(store, A.bus);
			const send = sender(store, device.token);
			const batch = queued(visits(3), 1);
			await send(toPushRequest(batch));
			const raw = openTestDatabase({ file });
			raw.prepare('DELETE FROM visits').run();
			raw.close();

			expect(outcomes(await send(checkOf(batch)))).toEqual(['duplicate', 'duplicate', 'duplicate']);
			expect((await store.syncStats.countRows()).visits).toBe(0);
			await store.close();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('notes the device as seen when a check comes a minute or more after its last write', async () => {
		const { store, device, send } = await setUp();
		await send(toPushRequest(queued(visits(1), 1)));
		const later = new Date(NOW.getTime() + 60_000);
		await send(checkOf(queued(visits(1), 1)), later);
		expect((await store.devices.get(device.deviceId))?.lastSeenAt).toBe(later.toISOString());
	});
});

describe('a range check of mutations sent before', () => {
	it('answers an applied backlog in one run of duplicates, and writes nothing', async () => {
		const { store, send } = await setUp();
		const backlog = queued(visits(LIMITS.maxMutationsPerPush + 20), 1);
		await send(toPushRequest(backlog.slice(0, LIMITS.maxMutationsPerPush)));
		await send(toPushRequest(backlog.slice(LIMITS.maxMutationsPerPush)));
		const counts = await store.syncStats.countRows();

		const answer = await send(rangeCheckOf(backlog));
		expect(answer.results).toEqual([{ mutationId: 1, status: 'duplicate', through: backlog.length }]);
		expect(answer.lastMutationId).toBe(backlog.length);
		expect(await store.syncStats.countRows()).toEqual(counts);
	});

	it('answers each recorded rejection on its own, between runs of duplicates', async () => {
		const { send } = await setUp();
		const foreign = () => visit(A.bus, B.days[0]);
		const batch = queued([...visits(3), foreign(), ...visits(1), foreign()], 1);
		const first = await send(toPushRequest(batch));
		expect(outcomes(first)).toEqual(['applied', 'applied', 'applied', 'not_found', 'applied', 'not_found']);

		expect((await send(rangeCheckOf(batch))).results).toEqual([
			{ mutationId: 1, status: 'duplicate', through: 3 },
			first.results[3],
			{ mutationId: 5, status: 'duplicate' },
			first.results[5]
		]);
		expect((await send(rangeCheckOf(batch.slice(3, 4)))).results).toEqual([first.results[3]]);
	});

	it('answers a range the server never acknowledged as one run of unknown', async () => {
		const { store, send } = await setUp();
		await send(toPushRequest(queued(visits(2), 1)));
		const answer = await send(rangeCheckOf(queued(visits(5), 3)));
		expect(answer.results).toEqual([{ mutationId: 3, status: 'unknown', through: 7 }]);
		expect(answer.lastMutationId).toBe(2);
		expect((await store.syncStats.countRows()).visits).toBe(2);
	});

	it('gives no verdict on a range partly above the ledger, or holding another mutation: check each prefix', async () => {
		const { store, send } = await setUp();
		const batch = queued(visits(3), 1);
		await send(toPushRequest(batch));
		const partly = await send(rangeCheckOf([...batch, ...queued(visits(2), 4)]));
		expect(partly.results).toEqual([]);
		expect(partly.lastMutationId).toBe(3);

		const reused = await send(rangeCheckOf([batch[0], ...queued(visits(1), 2), batch[2]] as Mutation[]));
		expect(reused.results).toEqual([]);
		// A digest missing from the ledger (an id acknowledged before digests were kept) is no match either.
		const dir = mkdtempSync(join(tmpdir(), 'escale-range-'));
		try {
			const file = join(dir, 'escale.sqlite');
			const onFile = await openFixtureStore({ file });
			const device = await enrollDevice(onFile, A.bus);
			const sendOnFile = sender(onFile, device.token);
			await sendOnFile(toPushRequest(batch));
			const raw = openTestDatabase({ file });
			raw.prepare('DELETE FROM mutation_digests WHERE mutation_id = 2').run();
			raw.close();
			expect((await sendOnFile(rangeCheckOf(batch))).results).toEqual([]);
			await onFile.close();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
		expect((await store.syncStats.countRows()).visits).toBe(3);
	});

	it('refuses a bad range check (400 invalid_body, French, naming the field) and stores nothing', async () => {
		const { store, device } = await setUp();
		const digest = 'b'.repeat(64);
		const bad: [unknown, string][] = [
			[{ protocol: 2, firstMutationId: 3, lastMutationId: 2, rangeDigest: digest }, 'lastMutationId'],
			[
				{
					protocol: 2,
					firstMutationId: 1,
					lastMutationId: LIMITS.maxMutationsPerRangeCheck + 1,
					rangeDigest: digest
				},
				'lastMutationId'
			],
			[{ protocol: 2, firstMutationId: 1, lastMutationId: 2, rangeDigest: digest.slice(1) }, 'rangeDigest'],
			[
				{ protocol: 2, firstMutationId: 1, lastMutationId: 2, rangeDigest: digest.toUpperCase() },
				'rangeDigest'
			],
			[{ protocol: 2, lastMutationId: 2, rangeDigest: digest }, 'firstMutationId'],
			[
				{
					protocol: 2,
					firstMutationId: 1,
					lastMutationId: 2,
					rangeDigest: digest,
					digests: ['a'.repeat(16)]
				},
				''
			],
			[{ protocol: 1, firstMutationId: 1, lastMutationId: 2, rangeDigest: digest }, 'protocol']
		];
		const counts = await store.syncStats.countRows();
		for (const [body, path] of bad) {
			const response = await handlePush(store, post('push', body, device.token), () => NOW);
			expect(response.status).toBe(400);
			const { error } = (await response.json()) as {
				error: { code: string; message: string; path?: string };
			};
			expect([error.code, error.path ?? '']).toEqual(['invalid_body', path]);
			expect(error.message).toMatch(/[a-zé]/);
		}
		expect(await store.syncStats.countRows()).toEqual(counts);
	});
});

describe('a bad check', () => {
	const prefix = 'a'.repeat(DIGEST_PREFIX_LENGTH);
	const bad: [string, unknown, string][] = [
		['a prefix too short', { protocol: 2, firstMutationId: 1, digests: ['abc'] }, 'digests.0'],
		['upper-case hex', { protocol: 2, firstMutationId: 1, digests: [prefix.toUpperCase()] }, 'digests.0'],
		['a number for a prefix', { protocol: 2, firstMutationId: 1, digests: [12] }, 'digests.0'],
		['no digests', { protocol: 2, firstMutationId: 1, digests: [] }, 'digests'],
		[
			'too many digests',
			{ protocol: 2, firstMutationId: 1, digests: Array(LIMITS.maxMutationsPerPush + 1).fill(prefix) },
			'digests'
		],
		['no first id', { protocol: 2, digests: [prefix] }, 'firstMutationId'],
		['a first id of 0', { protocol: 2, firstMutationId: 0, digests: [prefix] }, 'firstMutationId'],
		['mutations beside digests', { protocol: 2, firstMutationId: 1, digests: [prefix], mutations: [] }, ''],
		['protocol 1', { protocol: 1, firstMutationId: 1, digests: [prefix] }, 'protocol']
	];
	for (const [name, body, path] of bad) {
		it(`refuses ${name} (400 invalid_body, French, naming the field) and stores nothing`, async () => {
			const { store, device } = await setUp();
			const counts = await store.syncStats.countRows();
			const response = await handlePush(store, post('push', body, device.token), () => NOW);
			expect(response.status).toBe(400);
			const { error } = (await response.json()) as {
				error: { code: string; message: string; path?: string };
			};
			expect(error.code).toBe('invalid_body');
			expect(error.path ?? '').toBe(path);
			expect(error.message).toMatch(/[a-zé]/);
			expect(await store.syncStats.countRows()).toEqual(counts);
		});
	}
});
