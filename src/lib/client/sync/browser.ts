/**
 * The sync engine and scheduler as the browser app uses them: same-origin fetch, the credentials' own
 * IndexedDB store, Web Locks where the browser has them, and the window's `online` and visibility events.
 * Call from the browser only (a layout's onMount), never during SSR.
 */
import { getEscaleDb } from '$lib/client/db/connection';
import { refreshCommunes } from './communes';
import { enroll, idbCredentialStore, type EnrollOutcome } from './credentials';
import { SyncEngine, type LockManagerLike, type SyncOutcome } from './engine';
import { browserEvents, SyncScheduler } from './scheduler';
import { createTransport } from './transport';

export interface BrowserSync {
	engine: SyncEngine;
	scheduler: SyncScheduler;
	enroll(code: string): Promise<EnrollOutcome>;
	/** Fetches the official communes the tablet needs and lacks (never throws); the départements got. */
	refreshCommunes(): Promise<string[]>;
}

function browserLocks(): LockManagerLike | null {
	const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
	return locks ? { request: (name, callback) => locks.request(name, () => callback()) } : null;
}

/** Builds the app's sync; `onOutcome` hears every sync's result (the status panel refreshes on it). */
export function createBrowserSync(options: {
	appVersion: string;
	onOutcome?: (outcome: SyncOutcome) => void;
}): BrowserSync {
	const db = getEscaleDb();
	const credentials = idbCredentialStore();
	const transport = createTransport({ fetch: (input, init) => fetch(input, init) });
	const engine = new SyncEngine({ db, transport, credentials, locks: browserLocks() });
	const scheduler = new SyncScheduler({
		sync: () => engine.syncOnce(),
		events: browserEvents(window),
		onOutcome: options.onOutcome
	});
	return {
		engine,
		scheduler,
		async enroll(code) {
			const outcome = await enroll({ db, transport, credentials, appVersion: options.appVersion }, code);
			if (outcome.ok) void scheduler.syncNow();
			return outcome;
		},
		refreshCommunes: () => refreshCommunes(db, (input, init) => fetch(input, init))
	};
}
