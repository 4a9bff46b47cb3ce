import { describe, expect, it } from 'vitest';
import { ConfigError, describeDatabase, readConfig } from './config';

const CWD = '/srv/escale';

describe('the server configuration', () => {
	it('defaults to ./data, an SQLite file in it and the demo on', () => {
		expect(readConfig({}, CWD)).toEqual({
			dataDir: '/srv/escale/data',
			database: { engine: 'sqlite', file: '/srv/escale/data/escale.sqlite' },
			seedDemo: true,
			logFormat: 'text',
			demoPassword: 'escale-demo'
		});
	});

	it('writes JSON log lines with ESCALE_LOG_FORMAT=json and refuses another word', () => {
		expect(readConfig({ ESCALE_LOG_FORMAT: 'JSON' }, CWD).logFormat).toBe('json');
		expect(() => readConfig({ ESCALE_LOG_FORMAT: 'xml' }, CWD)).toThrow(
			/ESCALE_LOG_FORMAT must be "text" or "json", got "xml"/
		);
	});

	it('puts the default database under ESCALE_DATA_DIR, relative to the working directory', () => {
		const config = readConfig({ ESCALE_DATA_DIR: 'var/escale' }, CWD);
		expect(config.dataDir).toBe('/srv/escale/var/escale');
		expect(config.database).toEqual({ engine: 'sqlite', file: '/srv/escale/var/escale/escale.sqlite' });
	});

	it('accepts an explicit SQLite file or an in-memory database', () => {
		expect(readConfig({ ESCALE_DATABASE_URL: 'sqlite:/tmp/x.sqlite' }, CWD).database).toEqual({
			engine: 'sqlite',
			file: '/tmp/x.sqlite'
		});
		expect(readConfig({ ESCALE_DATABASE_URL: 'sqlite:db/x.sqlite' }, CWD).database).toEqual({
			engine: 'sqlite',
			file: '/srv/escale/db/x.sqlite'
		});
		expect(readConfig({ ESCALE_DATABASE_URL: 'sqlite::memory:' }, CWD).database).toEqual({
			engine: 'sqlite',
			file: ':memory:'
		});
	});

	it('opens PostgreSQL from ESCALE_DATABASE_URL, else from DATABASE_URL', () => {
		const url = 'postgres://escale:secret@db.internal:5433/escale';
		expect(readConfig({ DATABASE_URL: url }, CWD).database).toEqual({
			engine: 'postgres',
			url,
			maxConnections: 10
		});
		expect(
			readConfig({ DATABASE_URL: url, ESCALE_DATABASE_URL: 'sqlite:/tmp/x.sqlite' }, CWD).database
		).toEqual({ engine: 'sqlite', file: '/tmp/x.sqlite' });
		expect(
			readConfig({ ESCALE_DATABASE_URL: 'postgresql://u@h/e', ESCALE_DATABASE_POOL: '4' }, CWD).database
		).toEqual({ engine: 'postgres', url: 'postgresql://u@h/e', maxConnections: 4 });
		expect(readConfig({ DATABASE_URL: '  ' }, CWD).database.engine).toBe('sqlite');
	});

	it('refuses a PostgreSQL URL without a host or a database, or a bad pool size, naming the variable', () => {
		const noDatabase = () => readConfig({ DATABASE_URL: 'postgres://u:secret@db' }, CWD);
		expect(noDatabase).toThrow(/DATABASE_URL names no database/);
		expect(noDatabase).not.toThrow(/secret/);
		expect(() => readConfig({ ESCALE_DATABASE_URL: 'postgres:///escale' }, CWD)).toThrow(
			/ESCALE_DATABASE_URL names no host/
		);
		expect(() => readConfig({ DATABASE_URL: 'postgres://u@h/e', ESCALE_DATABASE_POOL: '0' }, CWD)).toThrow(
			/ESCALE_DATABASE_POOL must be a whole number from 1 to 200, got "0"/
		);
	});

	it('describes a database for the log without its credentials', () => {
		expect(
			describeDatabase({ engine: 'postgres', url: 'postgres://u:secret@db:5433/escale', maxConnections: 1 })
		).toBe('db:5433/escale');
		expect(describeDatabase({ engine: 'sqlite', file: ':memory:' })).toBe('in memory');
		expect(describeDatabase({ engine: 'sqlite', file: '/srv/x.sqlite' })).toBe('/srv/x.sqlite');
	});

	it('rejects a database URL it does not understand without echoing its credentials', () => {
		const read = () => readConfig({ ESCALE_DATABASE_URL: 'mysql://u:secret@db/escale' }, CWD);
		expect(read).toThrow(ConfigError);
		expect(read).toThrow(/"mysql:\.\.\."/);
		expect(read).not.toThrow(/secret/);
	});

	it('turns the demo off only with ESCALE_DEMO=off and rejects any other word', () => {
		expect(readConfig({ ESCALE_DEMO: 'off' }, CWD).seedDemo).toBe(false);
		expect(readConfig({ ESCALE_DEMO: 'ON' }, CWD).seedDemo).toBe(true);
		expect(() => readConfig({ ESCALE_DEMO: 'no' }, CWD)).toThrow(
			/ESCALE_DEMO must be "on" or "off", got "no"/
		);
	});

	it('reads the demo coordinator password from ESCALE_DEMO_PASSWORD and refuses a blank one', () => {
		expect(readConfig({ ESCALE_DEMO_PASSWORD: 'autre-mot-de-passe' }, CWD).demoPassword).toBe(
			'autre-mot-de-passe'
		);
		expect(() => readConfig({ ESCALE_DEMO_PASSWORD: '   ' }, CWD)).toThrow(/ESCALE_DEMO_PASSWORD/);
	});
});
