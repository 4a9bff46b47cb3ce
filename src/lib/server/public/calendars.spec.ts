import ICAL from 'ical.js';
import { afterEach, describe, expect, it } from 'vitest';
import { storeForEachTest } from '$factories/each-test';
import { toInstant } from '$lib/domain/calendar';
import type { Store } from '../store/store';
import { handleCommuneCalendar, handleStopCalendar } from './http';
import { NOW, now, openUrl, seedDemoAtToday } from './test-support';

const encoder = new TextEncoder();

let store: Store;
storeForEachTest((opened) => (store = opened), { seed: seedDemoAtToday });
afterEach(() => {
	ICAL.TimezoneService.reset();
});

async function fetchFeed(
	path: string,
	handler: 'stop' | 'commune',
	id: string
): Promise<{ response: Response; text: string }> {
	const url = openUrl(path);
	const response =
		handler === 'stop'
			? await handleStopCalendar(store, url, id, now)
			: await handleCommuneCalendar(store, url, id, now);
	return { response, text: await response.text() };
}

/** Mozilla's ical.js reads the feed, with the VTIMEZONE blocks the feed itself carries. */
function parseFeed(text: string) {
	const calendar = new ICAL.Component(ICAL.parse(text));
	for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
	return {
		calendar,
		events: calendar.getAllSubcomponents('vevent').map((component) => ({
			component,
			event: new ICAL.Event(component),
			status: component.getFirstPropertyValue('status')
		}))
	};
}

function expectWellFormed(text: string): void {
	expect(text.endsWith('\r\n')).toBe(true);
	// No bare LF nor bare CR: every line ends in CRLF.
	expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
	for (const line of text.split('\r\n')) expect(encoder.encode(line).length).toBeLessThanOrEqual(75);
}

describe('the calendar of a stop', () => {
	it('gives every stored day of a Vouziers stop as an event at the right instant, in Paris time', async () => {
		const { response, text } = await fetchFeed(
			'/api/open/calendars/stops/fs-47-monthois.ics',
			'stop',
			'fs-47-monthois'
		);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
		expect(response.headers.get('cache-control')).toBe('public, max-age=300');
		expect(response.headers.get('content-disposition')).toBeNull();
		expectWellFormed(text);

		const stored = await store.serviceDays.listByStop('fs-47-monthois');
		const { calendar, events } = parseFeed(text);
		expect(calendar.getFirstPropertyValue('x-wr-timezone')).toBe('Europe/Paris');
		expect(events).toHaveLength(stored.length);
		for (const day of stored) {
			const found = events.find(({ event }) => event.uid === `${day.id}@escale`);
			expect(found, day.id).toBeDefined();
			expect(found?.event.startDate.zone?.tzid).toBe('Europe/Paris');
			expect(found?.event.startDate.toJSDate().toISOString()).toBe(
				toInstant(day.date, day.start, 'Europe/Paris').toISOString()
			);
			expect(found?.event.endDate.toJSDate().toISOString()).toBe(
				toInstant(day.date, day.end, 'Europe/Paris').toISOString()
			);
			expect(found?.event.summary).toBe('Bus France services – Monthois');
			expect(found?.event.location).toBe('Mairie, 08400 Monthois');
			expect(found?.component.getFirstPropertyValue('url')).toBe(
				'https://escale.example/arrets/fs-47-monthois'
			);
			expect(found?.component.getFirstPropertyValue('dtstamp')?.toString()).toBe('2026-11-27T09:00:00Z');
		}
	});

	it('publishes a cancelled day with STATUS:CANCELLED and a higher SEQUENCE than before', async () => {
		const [day] = await store.serviceDays.listByStop('fs-47-monthois', {
			from: '2026-12-01',
			to: '2026-12-31'
		});
		if (!day) throw new Error('no December day at Monthois');
		const before = parseFeed((await fetchFeed('/x.ics', 'stop', 'fs-47-monthois')).text).events.find(
			({ event }) => event.uid === `${day.id}@escale`
		);
		expect(before?.status).toBe('CONFIRMED');

		await store.serviceDays.edit(
			{ ...day, status: 'cancelled', reason: 'Bus en panne, désolés ; à bientôt' },
			NOW.toISOString()
		);
		const { text } = await fetchFeed('/x.ics', 'stop', 'fs-47-monthois');
		expectWellFormed(text);
		const after = parseFeed(text).events.find(({ event }) => event.uid === `${day.id}@escale`);
		expect(after?.status).toBe('CANCELLED');
		expect(after?.event.sequence).toBeGreaterThan(before?.event.sequence ?? Infinity);
		expect(after?.event.summary).toBe('Annulé – Bus France services – Monthois');
		expect(after?.event.description).toContain('Annulé : Bus en panne, désolés ; à bientôt');
	});

	it('puts the Guadeloupe bus’s days in America/Guadeloupe, four hours behind UTC', async () => {
		const stopId = 'fs-2910-vieux-habitants';
		const { text } = await fetchFeed(`/api/open/calendars/stops/${stopId}.ics`, 'stop', stopId);
		expectWellFormed(text);
		expect(text).toContain('TZID:America/Guadeloupe\r\n');
		expect(text).not.toContain('TZID:Europe/Paris');
		const stored = await store.serviceDays.listByStop(stopId);
		const { events } = parseFeed(text);
		expect(stored.length).toBeGreaterThan(0);
		expect(events).toHaveLength(stored.length);
		for (const day of stored) {
			const found = events.find(({ event }) => event.uid === `${day.id}@escale`);
			expect(found?.event.startDate.zone?.tzid).toBe('America/Guadeloupe');
			const instant = found?.event.startDate.toJSDate();
			expect(instant?.toISOString()).toBe(toInstant(day.date, day.start, 'America/Guadeloupe').toISOString());
			expect(instant?.toISOString()).toBe(`${day.date}T12:00:00.000Z`);
		}
	});

	it('offers a download with a file name', async () => {
		const { response } = await fetchFeed('/x.ics?download=1', 'stop', 'fs-47-monthois');
		expect(response.headers.get('content-disposition')).toBe(
			'attachment; filename="escale-arret-fs-47-monthois.ics"'
		);
	});

	it('answers 404 in JSON for an unknown stop', async () => {
		for (const id of ['fs-47-nowhere', '../etc', '', 'x'.repeat(300)]) {
			const { response, text } = await fetchFeed('/x.ics', 'stop', id);
			expect(response.status, id).toBe(404);
			expect(JSON.parse(text)).toMatchObject({
				error: { code: 'not_found', message: expect.stringContaining('arrêt') }
			});
		}
	});
});

describe('the calendar of a commune', () => {
	it('gathers the commune’s stops by its slug', async () => {
		const { response, text } = await fetchFeed('/x.ics?download=1', 'commune', 'monthois-08303');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-disposition')).toBe(
			'attachment; filename="escale-monthois-08303.ics"'
		);
		expectWellFormed(text);
		const { calendar, events } = parseFeed(text);
		expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Bus France services – Monthois');
		expect(events).toHaveLength((await store.serviceDays.listByStop('fs-47-monthois')).length);
		const starts = events.map(({ event }) => event.startDate.toJSDate().getTime());
		expect(starts).toEqual([...starts].sort((a, b) => a - b));
	});

	it('answers 404 for a malformed slug or a commune without a stop', async () => {
		for (const slug of ['monthois', 'vouziers-08490', 'monthois-8303', '']) {
			const { response, text } = await fetchFeed('/x.ics', 'commune', slug);
			expect(response.status, slug).toBe(404);
			expect(JSON.parse(text)).toMatchObject({ error: { code: 'not_found' } });
		}
	});
});
