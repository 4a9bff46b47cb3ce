/**
 * Syncs as a tablet does (Dexie on fake-indexeddb, the real engine): a first push of a backlog never sent, or
 * the replay of a backlog it sent in full and whose every answer was lost. Each entry keeps the digest prefix
 * it got when it was written; for a replay the engine asks with one range check (answered from the server's
 * ledger) and acknowledges the answer in its outbox, as the app does after a lost answer.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { Visit } from '$lib/domain/visit';
import { EscaleDb } from '$lib/client/db/schema';
import { countPending, markSent, withDigest, type OutboxEntry } from '$lib/client/db/outbox';
import { enroll, memoryCredentialStore, type CredentialStore } from '$lib/client/sync/credentials';
import { SyncEngine } from '$lib/client/sync/engine';
import type { Transport } from '$lib/client/sync/transport';
import { issueEnrollmentCode } from '$lib/server/sync/codes';
import type { Store } from '$lib/server/store/store';
import { LIMITS, type Mutation } from '$lib/sync';
import { BUS_ID } from './fixtures';

export interface Tablet {
	db: EscaleDb;
	credentials: CredentialStore;
	token: string;
	close(): void;
}

/** A tablet enrolled through the real endpoint, with an empty outbox. */
export async function enrollTablet(store: Store, transport: Transport): Promise<Tablet> {
	const db = new EscaleDb('escale-bench-replay', { indexedDB: new IDBFactory(), IDBKeyRange });
	const credentials = memoryCredentialStore();
	const { code } = await issueEnrollmentCode(store, BUS_ID);
	const enrolled = await enroll({ db, transport, credentials, appVersion: '0.1.0' }, code);
	if (!enrolled.ok) throw new Error(`enrollment failed: ${enrolled.kind}`);
	const device = await credentials.load();
	if (!device) throw new Error('no credentials after enrollment');
	return { db, credentials, token: device.token, close: () => db.close() };
}

/**
 * Fills the tablet's outbox with `mutations` (numbered from 1) as the repositories write them, digest
 * prefix included (computed at write time, so part of neither sync). `sent`: all marked as sent, the state
 * of a tablet that pushed them and lost every answer (or was restored from a backup taken then); else
 * pending, never sent, for a first push.
 */
export async function fillOutbox(tablet: Tablet, mutations: Mutation[], sent: boolean): Promise<void> {
	const { db } = tablet;
	const entries: Omit<OutboxEntry, 'seq'>[] = [];
	for (const { mutationId, kind, entityId, createdAt, payload, schemaVersion } of mutations) {
		if (kind !== 'visit.create') throw new Error('the backlog holds visits only');
		const written = await withDigest({ kind, entityId, payload: payload as Visit, createdAt });
		entries.push({ ...written, mutationId, schemaVersion, status: 'pending', rejectedReason: null });
	}
	await db.transaction('rw', db.outbox, db.meta, async () => {
		await db.outbox.bulkAdd(entries as OutboxEntry[]);
		await db.meta.put({ key: 'outbox.lastMutationId', value: mutations.length });
	});
	if (sent) await markSent(db, mutations.length);
}

export interface TabletSync {
	ms: number;
	/** Of which the push requests themselves: encoding, HTTP, the handler, the answer checked. */
	requestsMs: number;
	acknowledged: number;
}

/** The transport, timing its push requests (what `pushAll` times for the first push). */
function timed(transport: Transport): { transport: Transport; pushMs: () => number } {
	let ms = 0;
	return {
		transport: {
			...transport,
			post: async (path, body, schema, token) => {
				const started = performance.now();
				const answer = await transport.post(path, body, schema, token);
				if (path === '/api/sync/push') ms += performance.now() - started;
				return answer;
			}
		},
		pushMs: () => ms
	};
}

/** One sync of the real engine, in batches of the protocol's maximum: the whole outbox sent, or replayed. */
export async function syncFromTablet(tablet: Tablet, plain: Transport): Promise<TabletSync> {
	const { transport, pushMs } = timed(plain);
	const engine = new SyncEngine({
		db: tablet.db,
		transport,
		credentials: tablet.credentials,
		maxBatchCount: LIMITS.maxMutationsPerPush
	});
	const started = performance.now();
	const outcome = await engine.syncOnce();
	const ms = performance.now() - started;
	if (!outcome.ok || (await countPending(tablet.db)) !== 0) {
		throw new Error(`sync from the tablet failed: ${JSON.stringify(outcome)}`);
	}
	return { ms, requestsMs: pushMs(), acknowledged: outcome.pushed };
}
