/**
 * The storage status the crew sees: persistent or not, unusable, and how much room is used. Pages read it;
 * `refresh()` runs the check (once at a time) and is safe to call on every mount.
 */
import { getEscaleDb } from '$lib/client/db/connection';
import { checkStorage, type StorageReport, type StorageStatus } from '$lib/client/db/storage';

export type { StorageStatus };

function checkBrowserStorage(): Promise<StorageReport> {
	return checkStorage({
		storage: typeof navigator === 'undefined' ? undefined : navigator.storage,
		openDatabase: () => getEscaleDb().open()
	});
}

export class StorageState {
	status = $state<StorageStatus>('checking');
	/** Bytes used by the app on this device, when the browser tells. */
	usage = $state<number | null>(null);
	/** Bytes the app may use on this device, when the browser tells. */
	quota = $state<number | null>(null);

	readonly #check: () => Promise<StorageReport>;
	#inFlight: Promise<void> | null = null;

	constructor(check: () => Promise<StorageReport> = checkBrowserStorage) {
		this.#check = check;
	}

	/** Runs the check again; concurrent calls share one run. The last known status stays shown meanwhile. */
	refresh(): Promise<void> {
		this.#inFlight ??= this.#run().finally(() => (this.#inFlight = null));
		return this.#inFlight;
	}

	async #run(): Promise<void> {
		const report = await this.#check();
		this.status = report.status;
		this.usage = report.usage;
		this.quota = report.quota;
	}
}

export const storageState = new StorageState();
