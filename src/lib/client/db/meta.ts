/**
 * The key-value table: small device facts that are not entities. Each key has one type, declared here, so a
 * reader never guesses what a writer stored. Later issues add their keys (device identity, sync cursor...).
 * The outbox keeps its mutation counter under `outbox.lastMutationId` and writes it itself.
 */
import type { CommuneRef } from '$lib/sync/communes';
import type { EscaleDb } from './schema';
import { withStorageErrors } from './errors';

export interface MetaValues {
	/** The last mutation id handed out on this device (see outbox.ts). */
	'outbox.lastMutationId': number;
	/**
	 * The highest mutation id sent in full at least once (see outbox.ts, `markSent`): a pending entry at or
	 * below it was sent without a definite answer, so the next push asks the server about it with a check.
	 */
	'outbox.sentThrough': number;
	/** The device identity the outbox's mutation ids are numbered for (see renumberForNewDevice). */
	'device.id': string;
	/** The bus this tablet serves, once enrolled. */
	'device.busId': string;
	/** The server's opaque pull cursor: everything up to it is on the tablet. Written with the page it covers. */
	'sync.cursor': string;
	/** When a sync last completed (push and pull), device clock ISO. */
	'sync.lastSuccessAt': string;
	/** When the server last acknowledged a push, device clock ISO ("nothing sent for over 24 h"). */
	'sync.lastSentAt': string;
	/** serverTime minus the midpoint of the request, measured at the last answered request. */
	'sync.clockOffsetMs': number;
	/** Why the last sync failed (a code, never personal data), or null after a success. */
	'sync.lastError': SyncErrorCode | null;
	/** The server refused this device for good (403 device_revoked): sync stops until a new enrollment. */
	'device.revoked': boolean;
	/** The official communes of the bus's départements, by département (communes.ts), for off-plan stops. */
	'reference.communes': Record<string, CommuneRef[]>;
}

/** Why a sync did not complete, as the crew's status panel tells it. */
export type SyncErrorCode =
	| 'offline'
	| 'server_error'
	| 'invalid_response'
	| 'unauthenticated'
	| 'device_revoked'
	| 'request_refused'
	| 'queue_gap'
	| 'not_enrolled'
	| 'storage';
export type MetaKey = keyof MetaValues;

/** The stored value, or undefined when the key was never written. */
export async function getMeta<K extends MetaKey>(db: EscaleDb, key: K): Promise<MetaValues[K] | undefined> {
	const row = await db.meta.get(key);
	return row?.value as MetaValues[K] | undefined;
}

/**
 * Writes one value and resolves once it is committed (an explicit transaction: a bare `put` resolves on the
 * request, before a quota failure at commit could abort it). Joins the caller's transaction if there is one.
 */
export async function setMeta<K extends MetaKey>(db: EscaleDb, key: K, value: MetaValues[K]): Promise<void> {
	await withStorageErrors(() => db.transaction('rw', db.meta, () => db.meta.put({ key, value })));
}
