import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/store';
import {
	handleBuses,
	handleCommuneCalendar,
	handleServiceDays,
	handleStopCalendar,
	handleStops
} from './http';
import { BUS_COLUMNS, SERVICE_DAY_COLUMNS, STOP_COLUMNS } from './open-data';
import { jsonKeys, now, openUrl, privateColumns, readCsv, seededStore, snakeCase } from './test-support';

// Read-only tests: one seeded store for the whole file.
let store: Store;
beforeAll(async () => {
	store = await seededStore();
});
afterAll(async () => {
	await store.close();
});

const serviceDays = (query: string, format: 'json' | 'csv' = 'json') =>
	handleServiceDays(store, openUrl(`/api/open/service-days.${format}${query}`), format, now);

async function errorOf(response: Response): Promise<{ code: string; message: string; parameter?: string }> {
	const body = (await response.json()) as { error: { code: string; message: string; parameter?: string } };
	return body.error;
}

describe('JSON endpoints', () => {
	it('wrap the records with the licence, the time and the count', async () => {
		const response = await handleBuses(store, openUrl('/api/open/buses.json'), 'json', now);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(response.headers.get('cache-control')).toBe('public, max-age=300');
		expect(response.headers.get('link')).toBe(
			'<https://www.etalab.gouv.fr/licence-ouverte-open-licence/>; rel="license"'
		);
		expect(response.headers.get('access-control-allow-origin')).toBe('*');
		const body = (await response.json()) as { items: unknown[] };
		expect(body).toMatchObject({
			licence: {
				name: 'Licence Ouverte 2.0 (Etalab)',
				url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/'
			},
			source: 'Escale',
			generatedAt: '2026-11-27T09:00:00.000Z',
			count: 163
		});
		expect(body.items).toHaveLength(163);
	});

	it('give the service days of the default window: today and the next 12 weeks', async () => {
		const body = (await (await serviceDays('')).json()) as {
			from: string;
			to: string;
			items: Array<{ date: string }>;
		};
		expect(body).toMatchObject({ from: '2026-11-27', to: '2027-02-19', bus: null, truncated: false });
		expect(body.items.length).toBeGreaterThan(100);
		expect(body.items.every((day) => day.date >= '2026-11-27' && day.date <= '2027-02-19')).toBe(true);
	});

	it('filter the service days by bus and window', async () => {
		const body = (await (await serviceDays('?from=2026-12-01&to=2026-12-31&bus=fs-2910')).json()) as {
			items: Array<{ busId: string; timeZone: string }>;
		};
		expect(body.items.length).toBeGreaterThan(0);
		for (const day of body.items)
			expect(day).toMatchObject({ busId: 'fs-2910', timeZone: 'America/Guadeloupe' });
	});
});

describe('CSV endpoints', () => {
	it.each([
		['buses', handleBuses, BUS_COLUMNS.length, 163],
		['stops', handleStops, STOP_COLUMNS.length, 36]
	] as const)('%s: header row, one record per item, RFC 4180', async (name, handler, columns, rows) => {
		const response = await handler(store, openUrl(`/api/open/${name}.csv`), 'csv', now);
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
		expect(response.headers.get('content-disposition')).toMatch(
			/^attachment; filename="escale-[a-z-]+\.csv"$/
		);
		const text = await response.text();
		expect(text.charCodeAt(0)).not.toBe(0xfeff);
		const records = readCsv(text);
		expect(records).toHaveLength(rows + 1);
		for (const record of records) expect(record).toHaveLength(columns);
	});

	it('quotes the fields that need it and reads back the JSON values', async () => {
		const json = (await (await handleStops(store, openUrl('/api/open/stops.json'), 'json', now)).json()) as {
			items: Array<Record<string, unknown>>;
		};
		const [header, ...records] = readCsv(
			await (await handleStops(store, openUrl('/api/open/stops.csv'), 'csv', now)).text()
		);
		expect(header).toEqual(STOP_COLUMNS.map((column) => column.name));
		const bairon = records.find((record) => record[0] === 'fs-47-bairon');
		const baironJson = json.items.find((item) => item.id === 'fs-47-bairon');
		expect(bairon?.[header?.indexOf('openingHours') ?? -1]).toBe(baironJson?.openingHours);
		expect(bairon?.[header?.indexOf('accessNotes') ?? -1]).toBe('');
		const text = await (await handleStops(store, openUrl('/api/open/stops.csv'), 'csv', now)).text();
		// "Fr 09:00-12:00,13:00-16:30; PH off..." holds a comma, so it is quoted.
		expect(text).toContain(',"Fr 09:00-12:00,13:00-16:30; PH off');
	});

	it('service days as CSV match the JSON', async () => {
		const query = '?from=2026-12-01&to=2026-12-15&bus=fs-47';
		const json = (await (await serviceDays(query)).json()) as { items: Array<Record<string, unknown>> };
		const [header, ...records] = readCsv(await (await serviceDays(query, 'csv')).text());
		expect(header).toEqual(SERVICE_DAY_COLUMNS.map((column) => column.name));
		expect(records).toEqual(
			json.items.map((item) =>
				SERVICE_DAY_COLUMNS.map((column) => (item[column.name] === null ? '' : String(item[column.name])))
			)
		);
	});
});

describe('query validation', () => {
	it.each([
		['?from=2026-13-01', 'from'],
		['?from=2027-02-29', 'from'],
		['?from=27-11-2026', 'from'],
		['?to=demain', 'to'],
		['?from=2026-12-01&to=2026-11-30', 'to'],
		['?from=2026-01-01&to=2027-01-02', 'to'],
		['?from=2026-12-01&from=2026-12-02', 'from'],
		['?bus=fs%2047', 'bus'],
		['?bus=', 'bus']
	])('%s -> 400 naming %s', async (query, parameter) => {
		const response = await serviceDays(query);
		expect(response.status).toBe(400);
		expect(response.headers.get('cache-control')).toBe('no-store');
		const error = await errorOf(response);
		expect(error).toMatchObject({ code: 'invalid_parameter', parameter });
		expect(error.message).toContain(parameter);
	});

	it('answers 404 naming bus for a bus that does not exist', async () => {
		const response = await serviceDays('?bus=fs-999999');
		expect(response.status).toBe(404);
		expect(await errorOf(response)).toMatchObject({ code: 'not_found', parameter: 'bus' });
	});

	it('accepts exactly 366 days, and ignores unknown parameters', async () => {
		expect((await serviceDays('?from=2026-01-01&to=2027-01-01&_=123')).status).toBe(200);
	});

	it('refuses a bad download flag on calendars', async () => {
		const response = await handleStopCalendar(store, openUrl('/x.ics?download=yes'), 'fs-47-monthois', now);
		expect(response.status).toBe(400);
		expect(await errorOf(response)).toMatchObject({ parameter: 'download' });
	});

	const known = fc.constantFrom('from', 'to', 'bus', 'download', 'x', '', 'from[]', 'FROM');
	const value = fc.oneof(
		fc.string({ unit: 'binary', maxLength: 30 }),
		fc.constantFrom(
			'2026-12-01',
			'2027-02-29',
			'9999-12-31',
			'1000-01-01',
			'0000-00-00',
			'fs-47',
			'1',
			'%',
			'%%',
			'%E9',
			'\u0000'
		),
		fc.date({ noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10))
	);
	const pairs = fc.array(fc.tuple(known, value), { maxLength: 5 }).map((entries) => {
		const params = new URLSearchParams();
		for (const [key, val] of entries) params.append(key, val);
		return `?${params.toString()}`;
	});
	const queryString = fc.oneof(
		pairs,
		fc.string({ maxLength: 40 }).map((text) => `?${text}`)
	);

	/** Runs `call` on generated query strings: never a 5xx, every refusal in JSON with a message. */
	async function neverFails(
		call: (search: string) => Promise<Response>,
		numRuns: number
	): Promise<Set<number>> {
		const statuses = new Set<number>();
		await fc.assert(
			fc.asyncProperty(queryString, async (search) => {
				const response = await call(search);
				expect(response.status, search).toBeLessThan(500);
				statuses.add(response.status);
				if (response.status >= 400) {
					expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
					expect((await errorOf(response)).message.length).toBeGreaterThan(0);
				}
			}),
			{ numRuns }
		);
		return statuses;
	}

	it('never answers 5xx to the service days, whatever the query string', { timeout: 60_000 }, async () => {
		const json = await neverFails((search) => serviceDays(search), 300);
		const csv = await neverFails((search) => serviceDays(search, 'csv'), 100);
		// The generator did reach both answers.
		expect([...json, ...csv]).toEqual(expect.arrayContaining([200, 400]));
	});

	it('never answers 5xx to the calendars, whatever the query string', { timeout: 60_000 }, async () => {
		const statuses = await neverFails(
			(search) => handleStopCalendar(store, openUrl(`/x.ics${search}`), 'fs-47-monthois', now),
			100
		);
		await neverFails(
			(search) => handleCommuneCalendar(store, openUrl(`/x.ics${search}`), 'monthois-08303', now),
			30
		);
		expect([...statuses]).toEqual(expect.arrayContaining([200, 400]));
	});
});

describe('privacy', () => {
	it('no endpoint’s JSON holds a field of the visits, referrals, reports, devices or coordinators tables', async () => {
		const forbidden = privateColumns();
		// The check means something: it knows the sync tables' own fields.
		for (const column of [
			'device_id',
			'visit_id',
			'referral_id',
			'payload',
			'secret_hash',
			'delay_minutes'
		]) {
			expect(forbidden.has(column), column).toBe(true);
		}
		const bodies = await Promise.all([
			handleBuses(store, openUrl('/api/open/buses.json'), 'json', now),
			handleStops(store, openUrl('/api/open/stops.json'), 'json', now),
			serviceDays('?from=2026-11-27&to=2027-11-27')
		]);
		const keys = new Set<string>();
		for (const response of bodies) jsonKeys(await response.json(), keys);
		expect(keys.size).toBeGreaterThan(30);
		for (const key of keys) expect(forbidden.has(snakeCase(key)), key).toBe(false);
	});
});
