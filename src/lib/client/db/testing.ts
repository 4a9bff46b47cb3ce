/**
 * Test support for the client database: a fresh in-memory IndexedDB per database, and a fault injector that
 * makes the next write to a store fail the way a browser does (the request errors, then the transaction
 * aborts with that error). Imported by specs only: it pulls in fake-indexeddb. The records to store come from
 * the test factories (tests/factories, imported as `$factories`).
 */
import { IDBFactory, IDBKeyRange, IDBObjectStore } from 'fake-indexeddb';
import { EscaleDb } from './schema';

/** A database of its own, on its own fake IndexedDB: tests never see each other's rows. */
export function openTestDb(factory: IDBFactory = new IDBFactory(), name = 'escale-test'): EscaleDb {
	return new EscaleDb(name, { indexedDB: factory, IDBKeyRange });
}

/** fake-indexeddb's internal record store, which runs the write when the transaction gets to it. */
interface RawStore {
	storeRecord: (...args: unknown[]) => unknown;
}
type WriteMethod = 'add' | 'put';

/**
 * The next `add` or `put` on `storeName` fails inside IndexedDB with `errorName` (QuotaExceededError for a
 * full disk, UnknownError for Chrome's disk errors). Returns a function that removes the fault if unused.
 */
export function failNextWrite(storeName: string, errorName: string): () => void {
	const proto = IDBObjectStore.prototype;
	const original = { add: proto.add, put: proto.put };
	const restore = () => Object.assign(proto, original);
	for (const method of ['add', 'put'] as WriteMethod[]) {
		proto[method] = function (
			this: IDBObjectStore & { _rawObjectStore: RawStore },
			...args: [unknown, IDBValidKey?]
		) {
			if (this.name === storeName) {
				restore();
				const raw = this._rawObjectStore;
				const storeRecord = raw.storeRecord;
				raw.storeRecord = () => {
					raw.storeRecord = storeRecord;
					throw new DOMException(`Injected ${errorName}`, errorName);
				};
			}
			return original[method].apply(this, args);
		};
	}
	return restore;
}
