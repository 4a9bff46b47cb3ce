/**
 * The real client engine against the real server handlers, in one process: an in-memory SQLite store, a
 * tablet database on fake-indexeddb, and a fetch that hands each request to the handlers through a fault
 * injector (dropped requests, responses lost after the server committed, duplicates, delays, 500s, a
 * captive portal's HTML page, truncated bodies). Only the network is fake.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { Bus, ServiceDay, Stop } from '$lib/domain/schedule';
import { EscaleDb } from '$lib/client/db/schema';
import { memoryCredentialStore, type CredentialStore } from '$lib/client/sync/credentials';
import { SyncEngine } from '$lib/client/sync/engine';
import { captivePortalPage, truncatedJson } from '$lib/client/sync/testing';
import { createTransport, type FetchLike, type Transport } from '$lib/client/sync/transport';
import { issueEnrollmentCode } from '$lib/server/sync/codes';
import { readJsonBody } from '$lib/server/sync/body';
import { handleEnroll, handlePull, handlePush, type SyncHandler } from '$lib/server/sync/http';
import { LIMITS } from '$lib/sync';
import type { Store } from '$lib/server/store/store';
import { makeBus } from '$factories/bus';
import { makeServiceDay, makeStop } from '$factories/schedule';
import { openTestStore, seedSchedule } from '$factories/store';

export const FAULTS = [
	'none',
	'dropRequest',
	'dropResponse',
	'duplicate',
	'delay',
	'server500',
	'html200',
	'truncated'
] as const;
export type Fault = (typeof FAULTS)[number];

/** The server's clock: the seeded days are around it. */
export const serverNow = () => new Date('2026-03-10T08:00:00.000Z');

export const bus: Bus = makeBus({
	id: 'fs-1',
	anctId: 'ANCT-1',
	name: 'France services itinérant du Pays Test'
});
export const stop: Stop = makeStop();
export const day: ServiceDay = makeServiceDay({ ruleId: null });

/** A server holding one bus, one stop and one service day, and a fresh enrollment code for the bus. */
export async function openServer(): Promise<{ store: Store; code: string }> {
	// A property run opens 40 servers and pushes hundreds of batches: on PostgreSQL their commits need not wait
	// for the disk (no test here looks at a crash); that took 100 of its 120 s on two busy cores.
	const store = await openTestStore({
		seed: seedSchedule({ buses: [bus], stops: [stop], days: [day] }),
		fast: true
	});
	const { code } = await issueEnrollmentCode(store, bus.id, serverNow);
	return { store, code };
}

const ROUTES: Record<string, SyncHandler> = {
	'/api/sync/enroll': handleEnroll,
	'/api/sync/push': handlePush,
	'/api/sync/pull': handlePull
};

/** What happens on the tablet while a request to `path` is on the network (the crew keeps working). */
export type WhileInFlight = { next: { path: string; run: () => Promise<void> } | null };

/** A request body as the server read it (decompressed, parsed), in the order they reached it. */
export interface Received {
	path: string;
	body: unknown;
}

/** Whether a push body the server received was a check (digest prefixes) rather than mutations. */
/** A check of each prefix (`digests`) or a range check (`rangeDigest`): a push without the mutations. */
export const isCheck = ({ path, body }: Received) =>
	path === '/api/sync/push' &&
	typeof body === 'object' &&
	body !== null &&
	('digests' in body || 'rangeDigest' in body);

export const isRangeCheck = (received: Received) =>
	isCheck(received) && 'rangeDigest' in (received.body as object);

/**
 * A fetch to the real handlers; each request takes the next fault from `faults` (then 'none'), and the
 * first one to `inFlight.next.path` runs `inFlight.next.run` before it reaches the server. Every request
 * that reaches the server is noted in `received`.
 */
export function faultyFetch(
	store: Store,
	faults: Fault[],
	inFlight: WhileInFlight = { next: null },
	received: Received[] = []
): FetchLike {
	return async (input, init) => {
		const fault = faults.shift() ?? 'none';
		const path = new URL(input, 'http://escale.test').pathname;
		const during = inFlight.next;
		if (during?.path === path) {
			inFlight.next = null;
			await during.run();
		}
		const handler = ROUTES[path];
		if (!handler) throw new Error(`No route for ${input}`);
		const call = async () => {
			const request = new Request(new URL(input, 'http://escale.test'), {
				method: init.method,
				headers: init.headers,
				body: init.body
			});
			const body = await readJsonBody(request.clone(), LIMITS.maxPushBytes).catch(() => null);
			received.push({ path, body });
			return handler(store, request, serverNow);
		};
		switch (fault) {
			case 'dropRequest':
				throw new TypeError('Failed to fetch');
			case 'server500':
				return new Response('Internal Server Error', { status: 500 });
			case 'html200':
				return captivePortalPage();
			case 'dropResponse':
				await call();
				throw new TypeError('network connection lost');
			case 'truncated':
				return truncatedJson(await (await call()).json());
			case 'duplicate':
				await call();
				return call();
			case 'delay':
				await new Promise((resolve) => setTimeout(resolve, 5));
				return call();
			case 'none':
				return call();
		}
	};
}

/** One tablet: its database (reopened by `restart` on the same fake IndexedDB) and its sync engine. */
export class TestDevice {
	readonly #factory = new IDBFactory();
	readonly credentials: CredentialStore = memoryCredentialStore();
	readonly faults: Fault[] = [];
	readonly inFlight: WhileInFlight = { next: null };
	/** Every request that reached the server, as it read it. */
	readonly received: Received[] = [];
	readonly transport: Transport;
	db: EscaleDb;
	engine: SyncEngine;

	constructor(readonly store: Store) {
		this.transport = createTransport({
			fetch: faultyFetch(store, this.faults, this.inFlight, this.received)
		});
		this.db = this.#open();
		this.engine = this.#engine();
	}

	#open(): EscaleDb {
		return new EscaleDb('escale', { indexedDB: this.#factory, IDBKeyRange });
	}

	#engine(): SyncEngine {
		return new SyncEngine({
			db: this.db,
			transport: this.transport,
			credentials: this.credentials,
			maxBatchCount: 4
		});
	}

	/** The app is killed and started again: a new connection and a new engine, nothing kept in memory. */
	restart(): void {
		this.db.close();
		this.db = this.#open();
		this.engine = this.#engine();
	}

	/**
	 * The records' database is lost (cleared, or restored from nothing) while the identity, in a database of
	 * its own, stays: the tablet starts counting its mutation ids from 1 again.
	 */
	async loseDatabase(): Promise<void> {
		await this.db.delete();
		this.db = this.#open();
		this.engine = this.#engine();
	}

	/**
	 * The records and the outbox stay, but the key-value table is cleared (a partly cleared tablet): the
	 * mutation counter, the identity it numbers for and the pull cursor are gone, so the next sync renumbers
	 * the pending queue from 1, as for a new identity, and pulls from the start.
	 */
	async loseCounter(): Promise<void> {
		await this.db.meta.clear();
	}
}
