import fc from 'fast-check';
import ICAL from 'ical.js';
import { afterEach, describe, expect, it } from 'vitest';
import { addDays, toInstant } from '$lib/domain/calendar';
import {
	buildIcs,
	escapeText,
	foldLine,
	SUPPORTED_TIME_ZONES,
	utcDateTime,
	vtimezone,
	type IcsEvent
} from './ics';

const encoder = new TextEncoder();
const NOW = new Date('2026-11-27T06:13:49.123Z');

function event(overrides: Partial<IcsEvent> = {}): IcsEvent {
	return {
		uid: 'fs-47-mon-am@2026-12-07@escale',
		sequence: 0,
		date: '2026-12-07',
		start: '09:00',
		end: '12:00',
		timeZone: 'Europe/Paris',
		status: 'CONFIRMED',
		summary: 'Bus France services – Monthois',
		location: 'Mairie, 08400 Monthois',
		description: 'Téléphone : 03 24 71 00 00',
		url: 'https://escale.example/arrets/fs-47-monthois',
		geo: { latitude: 49.318, longitude: 4.715 },
		...overrides
	};
}

/** Parses with Mozilla's ical.js, registering the feed's own VTIMEZONE blocks (not ical.js's zone data). */
function parse(text: string) {
	const calendar = new ICAL.Component(ICAL.parse(text));
	for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
	return calendar
		.getAllSubcomponents('vevent')
		.map((component) => ({ component, event: new ICAL.Event(component) }));
}

afterEach(() => {
	ICAL.TimezoneService.reset();
});

describe('escapeText', () => {
	it('escapes backslash, semicolon, comma and newlines, and drops other controls', () => {
		expect(escapeText('a\\b;c,d\ne\r\nf\rg\u0007h')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng' + 'h');
	});

	it('round-trips through ical.js for any text', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
				const [parsed] = parse(
					buildIcs({ name: 'n', description: 'd', now: NOW, events: [event({ summary: text })] })
				);
				// eslint-disable-next-line no-control-regex
				const expected = text.replace(/\r\n|\r/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
				expect(parsed?.event.summary ?? '').toBe(expected);
			}),
			{ numRuns: 200 }
		);
	});
});

describe('foldLine', () => {
	it('leaves a line of 75 octets alone and folds the 76th', () => {
		expect(foldLine('a'.repeat(75))).toBe('a'.repeat(75));
		expect(foldLine('a'.repeat(76))).toBe(`${'a'.repeat(75)}\r\n a`);
	});

	it('never cuts a UTF-8 character: "é" (2 octets) moves whole to the next line', () => {
		const folded = foldLine(`${'a'.repeat(74)}é`);
		expect(folded).toBe(`${'a'.repeat(74)}\r\n é`);
	});

	it('keeps every physical line within 75 octets and unfolds to the original', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (text) => {
				const line = `DESCRIPTION:${text.replace(/[\r\n]/g, '')}`;
				const folded = foldLine(line);
				const physical = folded.split('\r\n');
				for (const [index, part] of physical.entries()) {
					expect(encoder.encode(part).length).toBeLessThanOrEqual(75);
					if (index > 0) expect(part.startsWith(' ')).toBe(true);
					// A cut inside a surrogate pair would leave a lone surrogate, which is not valid UTF-8.
					expect(part.isWellFormed()).toBe(true);
				}
				expect(folded.replace(/\r\n /g, '')).toBe(line);
			}),
			{ numRuns: 300 }
		);
	});
});

describe('buildIcs', () => {
	it('writes CRLF after every line, and a VTIMEZONE for each zone used', () => {
		const text = buildIcs({
			name: 'Bus France services – Monthois',
			description: 'Passages',
			now: NOW,
			events: [event(), event({ uid: 'x@escale', timeZone: 'America/Guadeloupe' })]
		});
		expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
		expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
		expect(text).toContain('DTSTAMP:20261127T061349Z\r\n');
		expect(text.match(/BEGIN:VTIMEZONE/g)).toHaveLength(2);
		expect(text).toContain('TZID:America/Guadeloupe\r\n');
		expect(text).toContain('DTSTART;TZID=Europe/Paris:20261207T090000\r\n');
		expect(text).not.toContain('X-WR-TIMEZONE');
	});

	it('publishes a cancelled day with STATUS:CANCELLED and its SEQUENCE', () => {
		const [parsed] = parse(
			buildIcs({
				name: 'n',
				description: 'd',
				now: NOW,
				events: [event({ status: 'CANCELLED', sequence: 3 })]
			})
		);
		expect(parsed?.component.getFirstPropertyValue('status')).toBe('CANCELLED');
		expect(parsed?.event.sequence).toBe(3);
		expect(parsed?.event.uid).toBe('fs-47-mon-am@2026-12-07@escale');
	});

	it('refuses a zone it has no VTIMEZONE for', () => {
		expect(() => vtimezone('Pacific/Noumea')).toThrow(RangeError);
		expect(() =>
			buildIcs({ name: 'n', description: 'd', now: NOW, events: [event({ timeZone: 'Pacific/Noumea' })] })
		).toThrow(RangeError);
	});

	it('writes UTC stamps without milliseconds', () => {
		expect(utcDateTime(new Date('2026-01-02T03:04:05.678Z'))).toBe('20260102T030405Z');
	});

	it.each(SUPPORTED_TIME_ZONES)(
		'describes %s so that ical.js finds the same instants as the domain, across a year and its changes',
		(timeZone) => {
			// Every day of a year, at a morning and an afternoon time: daylight saving changes included.
			const dates = Array.from({ length: 366 }, (_, index) => addDays('2026-01-01', index));
			const events = dates.flatMap((date) => [
				event({ uid: `${date}-am@escale`, date, start: '08:00', end: '12:30', timeZone }),
				event({ uid: `${date}-pm@escale`, date, start: '13:30', end: '16:00', timeZone })
			]);
			const parsed = parse(buildIcs({ name: 'n', description: 'd', now: NOW, events }));
			expect(parsed).toHaveLength(events.length);
			for (const [index, { event: parsedEvent }] of parsed.entries()) {
				const source = events[index];
				if (!source) throw new Error('missing source event');
				expect(parsedEvent.startDate.zone?.tzid).toBe(timeZone);
				expect(parsedEvent.startDate.toJSDate().toISOString(), source.uid).toBe(
					toInstant(source.date, source.start, timeZone).toISOString()
				);
				expect(parsedEvent.endDate.toJSDate().toISOString(), source.uid).toBe(
					toInstant(source.date, source.end, timeZone).toISOString()
				);
			}
		}
	);
});
