/**
 * The benches' PostgreSQL: the server every machine of this project runs (127.0.0.1:5432, user postgres), and
 * databases of a random name made for one run and dropped after it, whatever happens.
 */
import { randomBytes } from 'node:crypto';
import type { Admin } from './pg-clients/probes';

export const SERVER = 'postgres://postgres@127.0.0.1:5432';

/** The drops of the databases in use: on Ctrl-C or a kill, all of them run before the process ends. */
const pending = new Set<() => Promise<void>>();

function interrupted(signal: NodeJS.Signals): void {
	console.error(`\n${signal}: dropping the bench's databases`);
	void Promise.allSettled([...pending].map((drop) => drop())).finally(() => process.exit(130));
}

/**
 * Runs `work` in a new database named `<prefix><12 hex digits>`, dropped afterwards whatever happens: when
 * `work` throws, and on Ctrl-C or a kill, before the process ends (also when several are open at once).
 */
export async function inNewDatabase(
	admin: Admin,
	work: (url: string) => Promise<void>,
	prefix = 'escale_bench_'
): Promise<void> {
	const database = `${prefix}${randomBytes(6).toString('hex')}`;
	let dropped: Promise<void> | undefined;
	// FORCE ends the connections a failed step left open.
	const drop = () => (dropped ??= admin.exec(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
	if (pending.size === 0) {
		process.once('SIGINT', interrupted);
		process.once('SIGTERM', interrupted);
	}
	pending.add(drop);
	try {
		await admin.exec(`CREATE DATABASE ${database}`);
		console.log(`database ${database}`);
		await work(`${SERVER}/${database}`);
	} finally {
		await drop();
		pending.delete(drop);
		if (pending.size === 0) {
			process.off('SIGINT', interrupted);
			process.off('SIGTERM', interrupted);
		}
	}
}
