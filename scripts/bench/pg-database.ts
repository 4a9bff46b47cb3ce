/**
 * The benches' PostgreSQL: the server every machine of this project runs (127.0.0.1:5432, user postgres), and
 * databases of a random name made for one run and dropped after it, whatever happens.
 */
import { randomBytes } from 'node:crypto';
import type { Admin } from './pg-clients/probes';

export const SERVER = 'postgres://postgres@127.0.0.1:5432';

/**
 * Runs `work` in a new database named `<prefix><12 hex digits>`, dropped afterwards whatever happens: when
 * `work` throws, and on Ctrl-C or a kill, before the process ends.
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
	const interrupted = (signal: NodeJS.Signals) => {
		console.error(`\n${signal}: dropping ${database}`);
		void drop().finally(() => process.exit(130));
	};
	process.once('SIGINT', interrupted);
	process.once('SIGTERM', interrupted);
	try {
		await admin.exec(`CREATE DATABASE ${database}`);
		console.log(`database ${database}`);
		await work(`${SERVER}/${database}`);
	} finally {
		await drop();
		process.off('SIGINT', interrupted);
		process.off('SIGTERM', interrupted);
	}
}
