/**
 * The server's configuration, read once from the environment at start. Every value is validated here so
 * that a typo stops the server with a message naming the variable, instead of a confusing failure later.
 *
 *   ESCALE_DATA_DIR      where the data lives (default ./data, relative to the working directory)
 *   ESCALE_DATABASE_URL  unset = SQLite file <dataDir>/escale.sqlite; `sqlite:<path>` for another file
 *                        (`sqlite::memory:` for a throwaway database); `postgres://` is reserved for the
 *                        PostgreSQL adapter of a later issue
 *   ESCALE_DEMO          `on` (default): seed the demo network when the database is empty; `off`: never
 *   ESCALE_DEMO_PASSWORD the demo coordinator's password (default `escale-demo`); used only with the demo
 */
import { isAbsolute, resolve } from 'node:path';

export type DatabaseConfig = { engine: 'sqlite'; file: string };

export interface ServerConfig {
	dataDir: string;
	database: DatabaseConfig;
	seedDemo: boolean;
	/** The demo coordinator's password; `DEFAULT_DEMO_PASSWORD` when left out. */
	demoPassword?: string;
}

export const DEFAULT_DEMO_PASSWORD = 'escale-demo';

export class ConfigError extends Error {
	override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export function readConfig(env: Env = process.env, cwd: string = process.cwd()): ServerConfig {
	const dataDir = readDataDir(env.ESCALE_DATA_DIR, cwd);
	return {
		dataDir,
		database: readDatabase(env.ESCALE_DATABASE_URL, dataDir, cwd),
		seedDemo: readDemo(env.ESCALE_DEMO),
		demoPassword: readDemoPassword(env.ESCALE_DEMO_PASSWORD)
	};
}

function readDataDir(value: string | undefined, cwd: string): string {
	if (value === undefined || value.trim() === '') return resolve(cwd, 'data');
	if (value.includes('\0')) throw new ConfigError('ESCALE_DATA_DIR contains a NUL character.');
	return isAbsolute(value) ? value : resolve(cwd, value);
}

function readDatabase(value: string | undefined, dataDir: string, cwd: string): DatabaseConfig {
	if (value === undefined || value.trim() === '')
		return { engine: 'sqlite', file: resolve(dataDir, 'escale.sqlite') };
	const url = value.trim();
	if (/^postgres(ql)?:\/\//i.test(url)) {
		throw new ConfigError(
			'ESCALE_DATABASE_URL points at PostgreSQL, which is not yet available in this version of Escale. ' +
				'Unset ESCALE_DATABASE_URL to use the embedded SQLite database under ESCALE_DATA_DIR.'
		);
	}
	if (url.startsWith('sqlite:')) {
		const path = url.slice('sqlite:'.length);
		if (path === '')
			throw new ConfigError(
				'ESCALE_DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:./data/escale.sqlite.'
			);
		if (path === ':memory:') return { engine: 'sqlite', file: ':memory:' };
		return { engine: 'sqlite', file: isAbsolute(path) ? path : resolve(cwd, path) };
	}
	throw new ConfigError(
		`ESCALE_DATABASE_URL "${url.split(':')[0]}:..." is not understood: leave it unset for the default SQLite file, ` +
			'or use sqlite:<path>.'
	);
}

function readDemo(value: string | undefined): boolean {
	const normalised = (value ?? '').trim().toLowerCase();
	if (normalised === '' || normalised === 'on') return true;
	if (normalised === 'off') return false;
	throw new ConfigError(`ESCALE_DEMO must be "on" or "off", got "${value}".`);
}

function readDemoPassword(value: string | undefined): string {
	if (value === undefined || value === '') return DEFAULT_DEMO_PASSWORD;
	if (value.trim() === '' || value.length > 256)
		throw new ConfigError('ESCALE_DEMO_PASSWORD must be 1 to 256 characters, not only spaces.');
	return value;
}
