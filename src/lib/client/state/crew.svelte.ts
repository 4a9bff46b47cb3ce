/**
 * The crew tablet as the /equipage pages see it: enrolled or not, its bus and next service days (from the
 * tablet's own database, so they show offline), and the sync that runs in the background. Starts in the
 * browser only (a page's onMount).
 */
import { getEscaleDb } from '$lib/client/db/connection';
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
	nextDays = $state<ServiceDayWithStop[]>([]);

	#sync: BrowserSync | null = null;

	/** Reads the tablet's data and, if it is enrolled, starts syncing. Safe to call twice. */
	async start(): Promise<void> {
		this.#sync ??= createBrowserSync({
			appVersion,
			onOutcome: () => void this.#reload()
		});
		await this.#reload();
		if (this.bus) this.#sync.scheduler.start();
	}

	async enroll(code: string): Promise<{ ok: true } | { ok: false; error: EnrollError }> {
		if (!this.#sync) await this.start();
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

	async #reload(): Promise<void> {
		const home = await readCrewHome(getEscaleDb(), NEXT_DAYS);
		this.bus = home.bus;
		this.nextDays = home.nextDays;
		this.loaded = true;
		await syncState.refresh();
	}
}

export const crewState = new CrewState();
