/**
 * The server's configuration, read once from the environment at start. Every value is validated here so
 * that a typo stops the server with a message naming the variable, instead of a confusing failure later.
 *
 *   ESCALE_DATA_DIR      where the data lives (default ./data, relative to the working directory)
 *   ESCALE_DATABASE_URL  unset = SQLite file <dataDir>/escale.sqlite; `sqlite:<path>` for another file
 *                        (`sqlite::memory:` for a throwaway database); `postgres://…` (or `postgresql://…`)
 *                        for a PostgreSQL database (docs/deploy.md)
 *   DATABASE_URL         read when ESCALE_DATABASE_URL is unset (the name hosting platforms set)
 *   ESCALE_DATABASE_POOL PostgreSQL only: connections each process keeps (default 10)
 *   ESCALE_LOG_FORMAT    `text` (default): lines for a person; `json`: one JSON object per line (log.ts)
 *   ESCALE_DEMO          `on` (default): seed the demo network when the database is empty; `off`: never
 *   ESCALE_DEMO_PASSWORD the demo coordinator's password (default `escale-demo`); used only with the demo
 */
import { isAbsolute, resolve } from 'node:path';
import type { LogFormat } from './log';

export type DatabaseConfig =
	{ engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string; maxConnections: number };

export interface ServerConfig {
	dataDir: string;
	database: DatabaseConfig;
	seedDemo: boolean;
	/** `text` when left out. */
	logFormat?: LogFormat;
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
		database: readDatabase(databaseUrl(env), dataDir, cwd, env.ESCALE_DATABASE_POOL),
		seedDemo: readDemo(env.ESCALE_DEMO),
		logFormat: readLogFormat(env.ESCALE_LOG_FORMAT),
		demoPassword: readDemoPassword(env.ESCALE_DEMO_PASSWORD)
	};
}

function readDataDir(value: string | undefined, cwd: string): string {
	if (value === undefined || value.trim() === '') return resolve(cwd, 'data');
	if (value.includes('\0')) throw new ConfigError('ESCALE_DATA_DIR contains a NUL character.');
	return isAbsolute(value) ? value : resolve(cwd, value);
}

/** ESCALE_DATABASE_URL wins; DATABASE_URL (what hosting platforms set) is read when it is unset. */
function databaseUrl(env: Env): { name: string; value: string | undefined } {
	if (env.ESCALE_DATABASE_URL !== undefined && env.ESCALE_DATABASE_URL.trim() !== '')
		return { name: 'ESCALE_DATABASE_URL', value: env.ESCALE_DATABASE_URL };
	return { name: 'DATABASE_URL', value: env.DATABASE_URL };
}

function readDatabase(
	{ name, value }: { name: string; value: string | undefined },
	dataDir: string,
	cwd: string,
	pool: string | undefined
): DatabaseConfig {
	if (value === undefined || value.trim() === '')
		return { engine: 'sqlite', file: resolve(dataDir, 'escale.sqlite') };
	const url = value.trim();
	if (/^postgres(ql)?:\/\//i.test(url)) return readPostgres(name, url, pool);
	if (url.startsWith('sqlite:')) {
		const path = url.slice('sqlite:'.length);
		if (path === '')
			throw new ConfigError(
				'ESCALE_DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:./data/escale.sqlite.'
			);
		if (path === ':memory:') return { engine: 'sqlite', file: ':memory:' };
		return { engine: 'sqlite', file: isAbsolute(path) ? path : resolve(cwd, path) };
	}
	// Only the scheme is repeated: the rest of a URL may hold a password.
	throw new ConfigError(
		`${name} "${url.split(':')[0]}:..." is not understood: leave it unset for the default SQLite file, ` +
			'or use sqlite:<path> or postgres://<user>@<host>:<port>/<database>.'
	);
}

function readPostgres(name: string, url: string, pool: string | undefined): DatabaseConfig {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new ConfigError(
			`${name} is not a valid PostgreSQL URL: expected postgres://<user>[:<password>]@<host>[:<port>]/<database>.`
		);
	}
	if (parsed.hostname === '' && !parsed.searchParams.has('host'))
		throw new ConfigError(`${name} names no host: expected postgres://<user>@<host>:<port>/<database>.`);
	if (parsed.pathname.replace(/^\//, '') === '')
		throw new ConfigError(`${name} names no database: expected postgres://<user>@<host>:<port>/<database>.`);
	return { engine: 'postgres', url, maxConnections: readPool(pool) };
}

function readPool(value: string | undefined): number {
	if (value === undefined || value.trim() === '') return 10;
	const count = Number(value.trim());
	if (!Number.isInteger(count) || count < 1 || count > 200)
		throw new ConfigError(`ESCALE_DATABASE_POOL must be a whole number from 1 to 200, got "${value}".`);
	return count;
}

/** Where the database is, for a log line: the SQLite file, or the PostgreSQL host and database without credentials. */
export function describeDatabase(database: DatabaseConfig): string {
	if (database.engine === 'sqlite') return database.file === ':memory:' ? 'in memory' : database.file;
	const url = new URL(database.url);
	const host = url.hostname || url.searchParams.get('host') || 'localhost';
	return `${host}${url.port ? `:${url.port}` : ''}/${decodeURIComponent(url.pathname.slice(1))}`;
}

function readLogFormat(value: string | undefined): LogFormat {
	const normalised = (value ?? '').trim().toLowerCase();
	if (normalised === '' || normalised === 'text') return 'text';
	if (normalised === 'json') return 'json';
	throw new ConfigError(`ESCALE_LOG_FORMAT must be "text" or "json", got "${value}".`);
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
