/**
 * The key-value table: small device facts that are not entities. Each key has one type, declared here, so a
 * reader never guesses what a writer stored. Later issues add their keys (device identity, sync cursor...).
 * The outbox keeps its mutation counter under `outbox.lastMutationId` and writes it itself.
 */
import type { EscaleDb } from './schema';
import { withStorageErrors } from './errors';

export interface MetaValues {
	/** The last mutation id handed out on this device (see outbox.ts). */
	'outbox.lastMutationId': number;
	/** The bus this tablet serves, once enrolled. */
	'device.busId': string;
}
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
