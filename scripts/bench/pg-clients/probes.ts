/**
 * What a client does when its connection is lost, seen rather than read in its documentation: a pooled
 * connection killed while idle, killed inside an open transaction between two statements, killed while a
 * statement runs, and a server that does not answer. The server kills the connection itself
 * (pg_terminate_backend), as a restart or a failover would. Each case runs several times, since what
 * happens can depend on which of the client's callbacks runs first; the outcomes are counted.
 */

/** The bench's own connection to the server: databases, version, and killing a client's connection. */
export interface Admin {
	exec(sql: string): Promise<void>;
	/** The first column of the first row, as text. */
	value(sql: string): Promise<string>;
	/** Ends the server process behind a client's connection, and waits until it has ended. */
	terminate(pid: number): Promise<void>;
	end(): Promise<void>;
}

export interface ProbeCase {
	name: string;
	repeat: number;
	/** Kills a connection as the case says and describes what the client did. */
	run(): Promise<string>;
}

export interface Probe {
	case: string;
	outcome: string;
}

export const PROBE_CASES = {
	idleBare: 'idle pooled connection killed, no error listener',
	idle: 'idle pooled connection killed, then a query',
	inTransaction: 'killed inside a transaction, between statements',
	inTransactionAlone: 'the same, no other query before the next statement',
	duringQuery: 'killed while a statement runs in a transaction',
	unreachable: 'nothing listens on the port (127.0.0.1:1)'
} as const;

/** Repetitions of the cases whose outcome may depend on timing. */
export const REPEAT = 5;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How long a probe waits for a statement before saying it never settled. */
export const PATIENCE_MS = 5_000;

/**
 * How a piece of work ended, in words: the error's code (SQLSTATE or the client's own) and message, or that
 * it had not settled after PATIENCE_MS (a statement left waiting for ever).
 */
export async function attempt(work: () => Promise<unknown>): Promise<string> {
	let timer: NodeJS.Timeout | undefined;
	const patience = new Promise<string>((resolve) => {
		timer = setTimeout(() => resolve(`had not settled after ${PATIENCE_MS / 1000} s`), PATIENCE_MS);
	});
	const outcome = work().then(
		() => 'succeeded',
		(error: unknown) => {
			const { code, message } = error as { code?: unknown; message?: unknown };
			return `failed (${typeof code === 'string' ? `${code} ` : ''}${String(message)})`;
		}
	);
	try {
		return await Promise.race([outcome, patience]);
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Runs each case `repeat` times. An 'error' event nobody listens to, or an exception thrown from a timer, ends
 * a Node process: while a case runs (and shortly after, for what arrives late) such errors are noted
 * instead, and the outcome says the process would have ended.
 */
export async function runProbes(cases: ProbeCase[]): Promise<Probe[]> {
	const probes: Probe[] = [];
	for (const probe of cases) {
		const outcomes = new Map<string, number>();
		for (let i = 0; i < probe.repeat; i++) {
			const uncaught: string[] = [];
			const note = (error: Error) => uncaught.push(error.message);
			process.on('uncaughtException', note);
			let outcome: string;
			try {
				outcome = await probe.run();
				await sleep(100);
			} finally {
				process.off('uncaughtException', note);
			}
			if (uncaught.length > 0) outcome += `; UNCAUGHT, would end the process: ${uncaught.join('; ')}`;
			outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
		}
		probes.push({
			case: probe.name,
			outcome: [...outcomes].map(([outcome, count]) => `${count}/${probe.repeat}: ${outcome}`).join(' || ')
		});
	}
	return probes;
}
