/**
 * Test support for the client database: a fresh in-memory IndexedDB per database, and a fault injector that
 * makes the next write to a store fail the way a browser does (the request errors, then the transaction
 * aborts with that error), and factories of valid records. Imported by specs only: it pulls in fake-indexeddb.
 */
import { IDBFactory, IDBKeyRange, IDBObjectStore } from 'fake-indexeddb';
import { currentReference } from '$lib/domain/reference';
import type { Referral } from '$lib/domain/referral';
import type { ServiceDay } from '$lib/domain/schedule';
import type { Visit } from '$lib/domain/visit';
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

/** A valid visit (one walk-in, one resolved CAF request); `overrides` change what a test is about. */
export function aVisit(overrides: Partial<Visit> = {}): Visit {
	return {
		id: crypto.randomUUID(),
		busId: 'fs-1',
		serviceDayId: 'fs-1-marche@2026-03-10',
		recordedAt: '2026-03-10T08:15:00.000Z',
		channel: 'walkIn',
		referenceVersion: currentReference.version,
		requests: [{ partner: 'CAF', theme: 'family', outcome: 'resolved' }],
		...overrides
	};
}

/** A valid open referral without contact details; `overrides` change what a test is about. */
export function aReferral(overrides: Partial<Referral> = {}): Referral {
	const recordedAt = overrides.recordedAt ?? '2026-03-10T08:20:00.000Z';
	return {
		id: crypto.randomUUID(),
		visitId: crypto.randomUUID(),
		busId: 'fs-1',
		recordedAt,
		referenceVersion: currentReference.version,
		partner: 'CAF',
		target: 'localOffice',
		mode: 'phoneHandoff',
		reason: 'needsFileAccess',
		dueDate: '2026-03-20',
		status: 'open',
		history: [{ status: 'open', at: recordedAt }],
		consent: null,
		contact: null,
		...overrides
	};
}

/** A planned service day of bus fs-1 (the day `aVisit` points to); `overrides` change what a test is about. */
export function aServiceDay(overrides: Partial<ServiceDay> = {}): ServiceDay {
	return {
		id: 'fs-1-marche@2026-03-10',
		busId: 'fs-1',
		stopId: 'fs-1-ahun',
		ruleId: 'fs-1-marche',
		date: '2026-03-10',
		start: '09:00',
		end: '12:00',
		status: 'planned',
		reason: null,
		...overrides
	};
}
