/**
 * One bus's day (300 visits, 30 referrals) over an emulated 2G link, two ways:
 *  - the real engine (Dexie outbox on fake-indexeddb, batched gzip pushes, then its pull), as the app does;
 *  - the same records one request each, plain JSON, one after the other, as a store-and-replay queue such
 *    as Workbox Background Sync replays the requests it stored.
 * Both run for real against the real handlers over loopback HTTP; the 2G time is then computed, not slept:
 * per request, one round trip + its bytes on the socket (headers included) at 50 kbit/s each way + the
 * measured loopback time (client and server work).
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { ServiceDay } from '$lib/domain/schedule';
import { EscaleDb } from '$lib/client/db/schema';
import { listPending } from '$lib/client/db/outbox';
import { recordReferral } from '$lib/client/db/referrals';
import { makeReferral } from '$factories/referral';
import { recordVisit } from '$lib/client/db/visits';
import { enroll, memoryCredentialStore } from '$lib/client/sync/credentials';
import { SyncEngine } from '$lib/client/sync/engine';
import { createTransport, type FetchLike } from '$lib/client/sync/transport';
import { issueEnrollmentCode } from '$lib/server/sync/codes';
import { openSqliteStore } from '$lib/server/store/sqlite/sqlite-store';
import type { Mutation } from '$lib/sync';
import { BUS_ID, enrollOverHttp, generateVisits, seedStore } from './fixtures';
import { startBenchServer, type Exchange } from './http-server';
import { countingTransport } from './push';

export const LINK = { bitsPerSecond: 50_000, roundTripMs: 500 } as const;
export const DAY = { visits: 300, referrals: 30 } as const;

export interface LinkRun {
	requests: number;
	wireBytes: number;
	loopbackMs: number;
	/** Computed time on the emulated 2G link. */
	linkMs: number;
}

/** The emulated link time of a sequence of exchanges, each with its measured loopback time. */
function overLink(exchanges: Exchange[], loopbackMs: number[]): LinkRun {
	let wireBytes = 0;
	let linkMs = 0;
	exchanges.forEach((exchange, i) => {
		const bytes = exchange.bytesIn + exchange.bytesOut;
		wireBytes += bytes;
		linkMs += LINK.roundTripMs + (bytes * 8 * 1000) / LINK.bitsPerSecond + (loopbackMs[i] ?? 0);
	});
	const total = loopbackMs.reduce((sum, ms) => sum + ms, 0);
	return { requests: exchanges.length, wireBytes, loopbackMs: total, linkMs };
}

/** A fetch that notes how long each request took on loopback. */
function timedFetch(durations: number[]): FetchLike {
	return async (input, init) => {
		const started = performance.now();
		const response = await fetch(input, init);
		// Read the body inside the timing: the transport would read it right after.
		const copy = new Response(await response.arrayBuffer(), response);
		durations.push(performance.now() - started);
		return copy;
	};
}

async function openDayServer(file: string, day: ServiceDay) {
	const store = await openSqliteStore({ file });
	await seedStore(store, [day]);
	return { store, server: await startBenchServer(store) };
}

/** Records the day on an enrolled tablet and syncs it with the real engine; returns the run and the queue. */
export async function syncDayWithEngine(
	file: string,
	day: ServiceDay
): Promise<{ run: LinkRun; queue: Mutation[] }> {
	const { store, server } = await openDayServer(file, day);
	const durations: number[] = [];
	const db = new EscaleDb('escale-bench', { indexedDB: new IDBFactory(), IDBKeyRange });
	try {
		const transport = createTransport({ fetch: timedFetch(durations), baseUrl: server.url });
		const credentials = memoryCredentialStore();
		const { code } = await issueEnrollmentCode(store, BUS_ID);
		const enrolled = await enroll({ db, transport, credentials, appVersion: '0.1.0' }, code);
		if (!enrolled.ok) throw new Error(`enrollment failed: ${enrolled.kind}`);

		const visits = generateVisits(DAY.visits, [day], 7);
		for (const visit of visits) await recordVisit(db, visit);
		for (const visit of visits.slice(0, DAY.referrals)) {
			await recordReferral(db, makeReferral({ busId: BUS_ID, visitId: visit.id }));
		}
		const queue = (await listPending(db, 10_000)).map(
			({ mutationId, kind, entityId, schemaVersion, createdAt, payload }) =>
				({ mutationId, kind, entityId, schemaVersion, createdAt, payload }) as Mutation
		);
		server.take();
		durations.length = 0;

		const outcome = await new SyncEngine({ db, transport, credentials }).syncOnce();
		if (!outcome.ok || outcome.pushed !== queue.length) {
			throw new Error(`day sync failed: ${JSON.stringify(outcome)}`);
		}
		return { run: overLink(server.take(), durations), queue };
	} finally {
		db.close();
		await server.close();
		await store.close();
	}
}

/** The same mutations, one plain-JSON request each, replayed in order by a fresh device. */
export async function replayOneByOne(file: string, day: ServiceDay, queue: Mutation[]): Promise<LinkRun> {
	const { store, server } = await openDayServer(file, day);
	try {
		const token = await enrollOverHttp(store, countingTransport(server.url).transport);
		server.take();
		const durations: number[] = [];
		const send = timedFetch(durations);
		for (const [index, mutation] of queue.entries()) {
			// Protocol 1: the naive request, every field of the mutation spelled out.
			const body = { protocol: 1, mutations: [{ ...mutation, mutationId: index + 1 }] };
			const response = await send(`${server.url}/api/sync/push`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
				body: JSON.stringify(body)
			});
			const answer = (await response.json()) as { results?: { status: string }[] };
			if (answer.results?.[0]?.status !== 'applied') throw new Error(`replay refused: ${response.status}`);
		}
		return overLink(server.take(), durations);
	} finally {
		await server.close();
		await store.close();
	}
}
