// Tablets' requests are let in a few at each turn of the event loop; people's at once. When 200 tablets reconnect
// together (buses back in coverage at the end of the day), their requests arrive in the same instant, and the
// server's first work on each (the framework's request, the hooks, the device's token: about 1 ms) ran back to
// back in one turn of the loop: 250 ms during which a resident's page waited (npm run bench:load, all at once).
// Let in a few at a time, the work is the same, and a page arriving meanwhile is served between two groups.

/** How many tablets' requests are let in at each turn of the event loop. */
export const TABLETS_PER_TURN = 8;

/**
 * Calls `next` now for a person's request (no Authorization header), or in its turn for a tablet's (a bearer
 * token): in arrival order, `perTurn` at each turn of the event loop. Decides nothing about access: every request
 * is let in, SvelteKit's hooks and routes decide.
 * @returns {(req: import('node:http').IncomingMessage, next: () => void) => void}
 */
export function createAdmission(perTurn = TABLETS_PER_TURN) {
	/** @type {(() => void)[]} */
	const waiting = [];
	let scheduled = false;
	const letIn = () => {
		for (const next of waiting.splice(0, perTurn)) next();
		// The next group after the loop has polled: requests that came meanwhile are served in between.
		scheduled = waiting.length > 0;
		if (scheduled) setImmediate(letIn);
	};
	return (req, next) => {
		if (req.headers.authorization === undefined) return next();
		waiting.push(next);
		if (!scheduled) {
			scheduled = true;
			setImmediate(letIn);
		}
	};
}
