import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config';

const CWD = '/srv/escale';

describe('the server configuration', () => {
	it('defaults to ./data, an SQLite file in it and the demo on', () => {
		expect(readConfig({}, CWD)).toEqual({
			dataDir: '/srv/escale/data',
			database: { engine: 'sqlite', file: '/srv/escale/data/escale.sqlite' },
			seedDemo: true,
			demoPassword: 'escale-demo'
		});
	});

	it('puts the default database under ESCALE_DATA_DIR, relative to the working directory', () => {
		const config = readConfig({ ESCALE_DATA_DIR: 'var/escale' }, CWD);
		expect(config.dataDir).toBe('/srv/escale/var/escale');
		expect(config.database).toEqual({ engine: 'sqlite', file: '/srv/escale/var/escale/escale.sqlite' });
	});

	it('accepts an explicit SQLite file or an in-memory database', () => {
		expect(readConfig({ ESCALE_DATABASE_URL: 'sqlite:/tmp/x.sqlite' }, CWD).database.file).toBe(
			'/tmp/x.sqlite'
		);
		expect(readConfig({ ESCALE_DATABASE_URL: 'sqlite:db/x.sqlite' }, CWD).database.file).toBe(
			'/srv/escale/db/x.sqlite'
		);
		expect(readConfig({ ESCALE_DATABASE_URL: 'sqlite::memory:' }, CWD).database.file).toBe(':memory:');
	});

	it('says clearly that PostgreSQL is not available yet', () => {
		expect(() => readConfig({ ESCALE_DATABASE_URL: 'postgres://u:secret@db/escale' }, CWD)).toThrow(
			/PostgreSQL, which is not yet available/
		);
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
