/**
 * The crew tablet as the /equipage pages see it: enrolled or not, its bus, today's and the next service days
 * (from the tablet's own database, so they show offline), and the sync that runs in the background. Starts in
 * the browser only (a page's onMount). Pages that read other records re-read them when `dataVersion` changes
 * (reread.svelte.ts): it moves after each local write and each sync.
 */
import { getEscaleDb } from '$lib/client/db/connection';
import { sweepRetention } from '$lib/client/db/retention';
import { createBrowserSync, type BrowserSync } from '$lib/client/sync/browser';
import type { TransportFailure } from '$lib/client/sync/transport';
import type { Bus } from '$lib/domain/schedule';
import { version as appVersion } from '../../../../package.json';
import { readCrewHome, type ServiceDayWithStop } from './crew-home';
import { syncState } from './sync.svelte';

/** How many coming service days the crew home shows. */
const NEXT_DAYS = 6;

export type EnrollError = TransportFailure['kind'] | 'enrollment_code_invalid';

export class CrewState {
	loaded = $state(false);
	bus = $state<Bus | null>(null);
	today = $state<ServiceDayWithStop[]>([]);
	nextDays = $state<ServiceDayWithStop[]>([]);
	/** Moves after every local write and every sync: pages reading records re-read on it. */
	dataVersion = $state(0);
	/** Moves when the tablet got a département's communes (the off-plan form re-reads on it). */
	communesVersion = $state(0);
	readonly appVersion = appVersion;

	#sync: BrowserSync | null = null;
	#starting: Promise<void> | null = null;

	/** Reads the tablet's data and, if it is enrolled, starts syncing. Safe to call from every page. */
	start(): Promise<void> {
		this.#starting ??= this.#start();
		return this.#starting;
	}

	async #start(): Promise<void> {
		this.#sync = createBrowserSync({
			appVersion,
			onOutcome: () => void this.#afterSync()
		});
		await this.#reload();
		await this.#sweep();
		if (this.bus) {
			this.#sync.scheduler.start();
			void this.#refreshCommunes();
		}
	}

	async enroll(code: string): Promise<{ ok: true } | { ok: false; error: EnrollError }> {
		await this.start();
		const outcome = await this.#sync!.enroll(code);
		await this.#reload();
		if (!outcome.ok) {
			const error = outcome.kind === 'request_refused' && outcome.code === 'enrollment_code_invalid';
			return { ok: false, error: error ? 'enrollment_code_invalid' : outcome.kind };
		}
		this.#sync!.scheduler.start();
		return { ok: true };
	}

	/** The "Synchroniser maintenant" button. */
	async syncNow(): Promise<void> {
		if (!this.#sync) return;
		const sync = this.#sync;
		await syncState.track(() => sync.scheduler.syncNow());
	}

	/** After a record is stored: shows it everywhere and asks for a sync shortly (not at once: more may follow). */
	async afterWrite(): Promise<void> {
		this.#sync?.scheduler.notifyWrite();
		await this.#reload();
	}

	/** Runs the retention sweep now (the settings page's button; also after each sync and at start). */
	async sweepNow(): Promise<void> {
		await this.#sweep();
		await this.#reload();
	}

	async #afterSync(): Promise<void> {
		// Synced records may now be past their retention, and a closed referral's contact can go.
		await this.#sweep();
		await this.#reload();
		await this.#refreshCommunes();
	}

	/** The official communes of the bus's départements, for off-plan stops: fetched once, then kept. */
	async #refreshCommunes(): Promise<void> {
		if (!this.bus || !this.#sync) return;
		if ((await this.#sync.refreshCommunes()).length > 0) this.communesVersion++;
	}

	async #sweep(): Promise<void> {
		try {
			await sweepRetention(getEscaleDb());
		} catch {
			// A sweep that fails (storage unavailable) removes nothing and is retried after the next sync.
		}
	}

	async #reload(): Promise<void> {
		const home = await readCrewHome(getEscaleDb(), NEXT_DAYS);
		this.bus = home.bus;
		this.today = home.today;
		this.nextDays = home.nextDays;
		this.loaded = true;
		this.dataVersion++;
		await syncState.refresh();
	}
}

export const crewState = new CrewState();
