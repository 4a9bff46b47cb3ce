/**
 * The tablet's database: one Dexie database, `escale`, with a versioned schema.
 *
 * How versions evolve (read before touching `defineVersions`):
 * - Never edit or remove a published `version(n)`, and never roll a version back: tablets in the field hold
 *   data written by every version ever shipped. A change is a new `version(n + 1)` with only what changes.
 * - An `upgrade` function must tolerate rows written by any older version (missing fields, old shapes) and
 *   must not drop the outbox: queued mutations keep their own `schemaVersion` and are still sent as they are.
 * - Upgrades run only IndexedDB work: no fetch, no timers (the upgrade transaction would commit half-done).
 * - When another tab opens a newer version, this tab gets `versionchange`: we close at once (so the upgrade is
 *   not blocked and this old code never writes again) and tell `onVersionChange` listeners
 *   (docs/offline-data-loss.md, item 7). No screen listens yet: the prompt to reload is still to be built.
 */
import Dexie, { type DexieOptions, type EntityTable } from 'dexie';
import type { Referral } from '$lib/domain/referral';
import type { Bus, ServiceDay, Stop } from '$lib/domain/schedule';
import type { Visit } from '$lib/domain/visit';
import type { StoredVisitWithdrawal } from './check-in';
import type { OutboxEntry } from './outbox';
import type { StoredServiceDayReport } from './service-day-reports';

export const DB_NAME = 'escale';

/** One row of the key-value table: device settings, counters, sync cursors. */
export interface MetaRow {
	key: string;
	value: unknown;
}

/** What a `versionchange` listener learns: the version another tab wants (null when it deletes the DB). */
export interface VersionChange {
	oldVersion: number;
	newVersion: number | null;
}

/**
 * Version 1. Indexes serve the reads later issues need:
 * - serviceDays by [busId+date] (a bus's days between two dates), stops by busId;
 * - visits by serviceDayId (a day's summary) and recordedAt (retention sweep, newest first);
 * - referrals by status (the bus's open ones, closed ones to purge), recordedAt and visitId;
 * - outbox by [status+seq] (pending in queue order), &mutationId (acknowledgement), entityId ("is it synced?").
 */
const V1_STORES = {
	serviceDays: 'id, [busId+date], stopId',
	stops: 'id, busId',
	buses: 'id',
	visits: 'id, serviceDayId, recordedAt',
	referrals: 'id, status, recordedAt, visitId',
	outbox: '++seq, &mutationId, [status+seq], entityId',
	meta: 'key'
} as const;

/**
 * Version 2 (issue 4), new table and index only, so no upgrade function: rows of version 1 keep their shape.
 * - serviceDayReports: the crew's reports of a day (held, late, cancelled), by serviceDayId, in order (++id);
 * - visits gain a correctionOf index ("is this visit already corrected?"); rows without it are not indexed.
 */
const V2_STORES = {
	visits: 'id, serviceDayId, recordedAt, correctionOf',
	serviceDayReports: '++id, serviceDayId'
} as const;

/**
 * Version 3 (issue 11), a new table only, so no upgrade function:
 * - visitWithdrawals: the crew's withdrawals of visits, one per visit (its id is the key), by serviceDayId
 *   (a day's summary leaves the withdrawn visits out).
 */
const V3_STORES = {
	visitWithdrawals: 'visitId, serviceDayId'
} as const;

function defineVersions(db: Dexie): void {
	db.version(1).stores(V1_STORES);
	db.version(2).stores(V2_STORES);
	db.version(3).stores(V3_STORES);
	// version(4) goes here, with `.upgrade(tx => ...)` if rows change shape. See the header first.
}

export class EscaleDb extends Dexie {
	declare readonly serviceDays: EntityTable<ServiceDay, 'id'>;
	declare readonly stops: EntityTable<Stop, 'id'>;
	declare readonly buses: EntityTable<Bus, 'id'>;
	declare readonly visits: EntityTable<Visit, 'id'>;
	declare readonly referrals: EntityTable<Referral, 'id'>;
	declare readonly outbox: EntityTable<OutboxEntry, 'seq'>;
	declare readonly meta: EntityTable<MetaRow, 'key'>;
	declare readonly serviceDayReports: EntityTable<StoredServiceDayReport, 'id'>;
	declare readonly visitWithdrawals: EntityTable<StoredVisitWithdrawal, 'visitId'>;

	private readonly versionChangeListeners = new Set<(change: VersionChange) => void>();

	/** `options` lets tests pass a fake IndexedDB; durability is always strict whatever they say. */
	constructor(name: string = DB_NAME, options: Omit<DexieOptions, 'chromeTransactionDurability'> = {}) {
		// Strict: a commit is flushed to disk before it is reported done. Since Chrome 121 the default is relaxed
		// and a power cut can lose a "completed" visit (docs/offline-data-loss.md, item 5); it costs about 1 ms
		// per write.
		super(name, { ...options, chromeTransactionDurability: 'strict' });
		defineVersions(this);
		this.on('versionchange', (event: IDBVersionChangeEvent) => {
			// Close for good (no auto-reopen): old code must not write next to a newer schema.
			this.close({ disableAutoOpen: true });
			const change: VersionChange = {
				oldVersion: event.oldVersion / 10,
				newVersion: toVerno(event.newVersion)
			};
			for (const listener of this.versionChangeListeners) listener(change);
			// false stops Dexie's default handler, which would close again with auto-reopen on.
			return false;
		});
	}

	/** Calls `listener` when another tab upgrades or deletes this database; this one is then closed. */
	onVersionChange(listener: (change: VersionChange) => void): () => void {
		this.versionChangeListeners.add(listener);
		return () => this.versionChangeListeners.delete(listener);
	}
}

/** Dexie stores version n as IndexedDB version n * 10. */
function toVerno(idbVersion: number | null): number | null {
	return idbVersion === null || idbVersion === 0 ? null : idbVersion / 10;
}
