/**
 * What a crew screen shows of the tablet's records, read again whenever they may have changed: after each
 * local write and each sync (`crewState.dataVersion` moves then) and when what the read depends on changes.
 * Reads overlap (a sync ends while a day's summary is still being read): only the newest run's result is
 * kept, so an older read that answers late never overwrites a newer one.
 */
import { crewState } from './crew.svelte';

export class Reread<T> {
	/** The result of the newest run that answered; `initial` until one does. */
	current = $state() as T;
	#runs = 0;

	constructor(initial: T) {
		this.current = initial;
	}

	/**
	 * Reads with `load`; its result replaces `current` only if no later run started meanwhile. A read that
	 * fails (storage unavailable) leaves what is shown as it was: the next change reads again.
	 */
	async run(load: () => Promise<T>): Promise<void> {
		const run = ++this.#runs;
		let value: T;
		try {
			value = await load();
		} catch {
			return;
		}
		if (run === this.#runs) this.current = value;
	}
}

/**
 * Reads with `load` now and again each time `crewState.dataVersion` moves or a reactive value `load` reads
 * before its first `await` changes (read them first, like props and `crewState.today`). Call it while a
 * component is created (it sets up an effect); read the result from `.current`.
 */
export function reread<T>(load: () => Promise<T>, initial: T): Reread<T> {
	const reread = new Reread(initial);
	$effect(() => {
		void crewState.dataVersion;
		void reread.run(load);
	});
	return reread;
}
