/**
 * The day summary's withdrawal of a visit: which visit the crew is asked about, then the withdrawal through
 * client/db's same-day rule (check-in.ts: one transaction with its outbox entry and the closing of the
 * check-in's open referrals), and what the screen says after it.
 */
import { withdrawVisit } from '$lib/client/db/check-in';
import { getEscaleDb } from '$lib/client/db/connection';
import type { EscaleDb } from '$lib/client/db/schema';
import type { Visit } from '$lib/domain/visit';
import { crewState } from './crew.svelte';
import { Save } from './save.svelte';

const clock = (): Date => new Date();

export class VisitWithdrawal {
	#db: () => EscaleDb = getEscaleDb;
	#now: () => Date = clock;
	readonly save = new Save();
	/** The visit the crew is asked to confirm the withdrawal of; null when no question is open. */
	asking = $state<Visit | null>(null);
	/** The visit last withdrawn, for the screen to say so. */
	withdrawn = $state<Visit | null>(null);

	constructor(options: { db?: () => EscaleDb; now?: () => Date } = {}) {
		if (options.db) this.#db = options.db;
		if (options.now) this.#now = options.now;
	}

	ask(visit: Visit): void {
		this.asking = visit;
	}

	/** The crew kept the visit: nothing is written. */
	keep(): void {
		this.asking = null;
	}

	/** Withdraws the visit asked about; answers whether it was. If not, `save.error` says why. */
	async confirm(): Promise<boolean> {
		const visit = this.asking;
		if (!visit) return false;
		this.withdrawn = null;
		const done = await this.save.run(async () => {
			await withdrawVisit(this.#db(), visit.id, this.#now());
			this.withdrawn = visit;
			await crewState.afterWrite();
		});
		this.asking = null;
		return done;
	}
}
