/**
 * A crew form's save: the button waits while a record is being stored, and the screen then says either what
 * was stored (`done`) or why nothing was (`error`, from save-error.ts: storage full, unavailable, refused).
 */
import { saveErrorMessage } from './save-error';

export class Save {
	saving = $state(false);
	/** What the crew reads once the record is stored ("Enregistré…"), set by the write. */
	done = $state<string | null>(null);
	/** Why nothing was stored; the form keeps what the crew entered, so they can retry. */
	error = $state<string | null>(null);

	/**
	 * Runs `write` unless a save is already running; answers whether it completed. Any failure becomes
	 * `error` in words, never an exception.
	 */
	async run(write: () => Promise<void>): Promise<boolean> {
		if (this.saving) return false;
		this.saving = true;
		this.done = null;
		this.error = null;
		try {
			await write();
			return true;
		} catch (failure) {
			this.error = saveErrorMessage(failure);
			return false;
		} finally {
			this.saving = false;
		}
	}

	/** Says why the form is not saved before anything is tried (a choice is missing). */
	refuse(message: string): void {
		this.done = null;
		this.error = message;
	}
}
