/**
 * Pushes take turns once their body has arrived: at most a few decode, validate and write at once in a process
 * (push.ts says how many), the others wait in order. Without it, 200 tablets pushing at once (buses reconnecting
 * together) queued 100 pushes a process on the PostgreSQL pool: a public page waited seconds behind them for a
 * connection, and pushes failed after the pool's 10 s wait (npm run bench:load). A push never waits for another
 * one's upload: a slow 2G body is read before its turn. A turn is handed on after the event loop has polled
 * (setImmediate), so the requests that arrived meanwhile are served between two pushes.
 *
 * The same work takes the same time: SQLite writes one at a time anyway, PostgreSQL queued on its pool. On SQLite
 * the bench shows no change within its noise: there a page read still waits behind the start of 200 requests
 * arriving in the same instant (the framework's work per request, in arrival order).
 */
export class Turns {
	#running = 0;
	readonly #waiting: (() => void)[] = [];

	constructor(readonly size: number) {}

	async take<T>(work: () => Promise<T>): Promise<T> {
		if (this.#running >= this.size) await new Promise<void>((resolve) => this.#waiting.push(resolve));
		else this.#running++;
		try {
			return await work();
		} finally {
			const next = this.#waiting.shift();
			// The turn passes straight to the next waiter (`#running` unchanged), after an event loop poll.
			if (next) setImmediate(next);
			else this.#running--;
		}
	}
}
