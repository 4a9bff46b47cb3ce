/**
 * What the crew sees of sync: how much is waiting and for how long, when the last sync succeeded, why the
 * last one failed, and the warnings that mean data is at risk (storage not persistent while records wait,
 * a record waiting for over 24 hours), a tablet clock off by more than two minutes, and a revoked device.
 * `refresh()` reads it all from the database; `track()` wraps a sync so the panel shows it running; `keepTime()`
 * keeps the time since the last success current on screen.
 */
import { getEscaleDb } from '$lib/client/db/connection';
import { getMeta, type SyncErrorCode } from '$lib/client/db/meta';
import { countPending, listRejected, oldestPendingAt } from '$lib/client/db/outbox';
import type { EscaleDb } from '$lib/client/db/schema';
import type { SyncOutcome } from '$lib/client/sync/engine';

export const CLOCK_WARNING_MS = 2 * 60_000;
export const STALE_PENDING_MS = 24 * 60 * 60_000;

export type SyncRisk = 'storage_not_persistent' | 'pending_over_24h';

export interface SyncStateSources {
	db: () => EscaleDb;
	/** navigator.storage.persisted(); null where the browser cannot tell. */
	persisted: () => Promise<boolean | null>;
	now: () => Date;
}

const browserSources: SyncStateSources = {
	db: getEscaleDb,
	persisted: async () =>
		typeof navigator === 'undefined' || !navigator.storage?.persisted ? null : navigator.storage.persisted(),
	now: () => new Date()
};

const dateOrNull = (iso: string | undefined) => (iso ? new Date(iso) : null);

export class SyncState {
	pendingCount = $state(0);
	rejectedCount = $state(0);
	oldestPendingAt = $state<Date | null>(null);
	lastSuccessAt = $state<Date | null>(null);
	lastSentAt = $state<Date | null>(null);
	lastError = $state<SyncErrorCode | null>(null);
	clockOffsetMs = $state<number | null>(null);
	revoked = $state(false);
	enrolled = $state(false);
	storagePersistent = $state<boolean | null>(null);
	syncing = $state(false);
	/** When the figures were read: ages are counted from it. */
	checkedAt = $state<Date | null>(null);
	/** The time now, as of the last refresh or tick of `keepTime`: what the header's "sent 5 min ago" counts to. */
	now = $state<Date | null>(null);

	readonly #sources: SyncStateSources;

	constructor(sources: SyncStateSources = browserSources) {
		this.#sources = sources;
	}

	/** How long the oldest pending record has waited, in ms (device clock), or null if nothing waits. */
	get oldestPendingAgeMs(): number | null {
		if (!this.oldestPendingAt || !this.checkedAt) return null;
		return Math.max(0, this.checkedAt.getTime() - this.oldestPendingAt.getTime());
	}

	/** How long ago the last sync succeeded, in ms (device clock), or null if none ever did. */
	get lastSuccessAgeMs(): number | null {
		if (!this.lastSuccessAt || !this.now) return null;
		return Math.max(0, this.now.getTime() - this.lastSuccessAt.getTime());
	}

	/**
	 * Moves `now` on every `intervalMs` so the ages shown grow while the screen stays open (one cheap timer, one
	 * state: only the words that read it change). Returns the stop.
	 */
	keepTime(intervalMs = 30_000): () => void {
		const timer = setInterval(() => {
			this.now = this.#sources.now();
		}, intervalMs);
		return () => clearInterval(timer);
	}

	get clockWarning(): boolean {
		return this.clockOffsetMs !== null && Math.abs(this.clockOffsetMs) > CLOCK_WARNING_MS;
	}

	get risks(): SyncRisk[] {
		const risks: SyncRisk[] = [];
		if (this.pendingCount > 0 && this.storagePersistent === false) risks.push('storage_not_persistent');
		if ((this.oldestPendingAgeMs ?? 0) > STALE_PENDING_MS) risks.push('pending_over_24h');
		return risks;
	}

	async refresh(): Promise<void> {
		const { db: openDb, persisted, now } = this.#sources;
		const db = openDb();
		const [pending, rejected, oldest, success, sent, error, offset, revoked, busId, persistent] =
			await Promise.all([
				countPending(db),
				listRejected(db),
				oldestPendingAt(db),
				getMeta(db, 'sync.lastSuccessAt'),
				getMeta(db, 'sync.lastSentAt'),
				getMeta(db, 'sync.lastError'),
				getMeta(db, 'sync.clockOffsetMs'),
				getMeta(db, 'device.revoked'),
				getMeta(db, 'device.busId'),
				persisted().catch(() => null)
			]);
		this.pendingCount = pending;
		this.rejectedCount = rejected.length;
		this.oldestPendingAt = oldest;
		this.lastSuccessAt = dateOrNull(success);
		this.lastSentAt = dateOrNull(sent);
		this.lastError = error ?? null;
		this.clockOffsetMs = offset ?? null;
		this.revoked = revoked === true;
		this.enrolled = busId !== undefined;
		this.storagePersistent = persistent;
		this.checkedAt = now();
		this.now = this.checkedAt;
	}

	/** Shows `sync` as running, then refreshes the figures (whatever its outcome). */
	async track(sync: () => Promise<SyncOutcome>): Promise<SyncOutcome> {
		this.syncing = true;
		try {
			return await sync();
		} finally {
			this.syncing = false;
			await this.refresh();
		}
	}
}

export const syncState = new SyncState();
