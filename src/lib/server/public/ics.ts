/**
 * iCalendar (RFC 5545) text from service days, pure: events in, text out. What calendar apps need to keep a
 * subscription right: CRLF line ends, lines folded at 75 octets (never inside a UTF-8 character), a stable
 * UID per service day, a SEQUENCE that grows when the day changes, STATUS:CANCELLED for a cancelled day,
 * and local times with the bus's zone described by a VTIMEZONE block.
 *
 * The VTIMEZONE blocks are written by hand for the zones Escale's territories use: Europe/Paris with its
 * EU daylight saving rules (last Sunday of March and October, since 1996), the overseas zones without
 * daylight saving. Any other zone is refused rather than published wrong.
 */
import type { LocalDate, LocalTime } from '$lib/domain/calendar';

export type IcsStatus = 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';

export interface IcsEvent {
	/** Stable across publications: `<serviceDayId>@escale`. */
	uid: string;
	/** 0 for the first publication, then higher each time the event changes. */
	sequence: number;
	date: LocalDate;
	start: LocalTime;
	end: LocalTime;
	/** IANA zone of the local date and times; one of `SUPPORTED_TIME_ZONES`. */
	timeZone: string;
	status: IcsStatus;
	summary: string;
	location: string;
	description: string;
	/** Absolute URL of the stop's page. */
	url: string;
	geo: { latitude: number; longitude: number } | null;
}

export interface IcsCalendar {
	/** Shown by calendar apps as the calendar's name. */
	name: string;
	description: string;
	events: readonly IcsEvent[];
	/** DTSTAMP of every event: when this text was generated. */
	now: Date;
}

const CRLF = '\r\n';
const MAX_OCTETS = 75;

const STANDARD_ONLY = (tzid: string, offset: string, name: string): string[] => [
	'BEGIN:VTIMEZONE',
	`TZID:${tzid}`,
	'BEGIN:STANDARD',
	'DTSTART:19700101T000000',
	`TZOFFSETFROM:${offset}`,
	`TZOFFSETTO:${offset}`,
	`TZNAME:${name}`,
	'END:STANDARD',
	'END:VTIMEZONE'
];

const VTIMEZONES: Record<string, string[]> = {
	'Europe/Paris': [
		'BEGIN:VTIMEZONE',
		'TZID:Europe/Paris',
		'BEGIN:DAYLIGHT',
		'DTSTART:19700329T020000',
		'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
		'TZOFFSETFROM:+0100',
		'TZOFFSETTO:+0200',
		'TZNAME:CEST',
		'END:DAYLIGHT',
		'BEGIN:STANDARD',
		'DTSTART:19701025T030000',
		'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
		'TZOFFSETFROM:+0200',
		'TZOFFSETTO:+0100',
		'TZNAME:CET',
		'END:STANDARD',
		'END:VTIMEZONE'
	],
	'America/Guadeloupe': STANDARD_ONLY('America/Guadeloupe', '-0400', 'AST'),
	'America/Martinique': STANDARD_ONLY('America/Martinique', '-0400', 'AST'),
	'America/Cayenne': STANDARD_ONLY('America/Cayenne', '-0300', '-03'),
	'Indian/Reunion': STANDARD_ONLY('Indian/Reunion', '+0400', '+04'),
	'Indian/Mayotte': STANDARD_ONLY('Indian/Mayotte', '+0300', 'EAT')
};

/** The zones this module can describe: those of Escale's territories. */
export const SUPPORTED_TIME_ZONES: readonly string[] = Object.keys(VTIMEZONES);

/** The VTIMEZONE lines of a supported zone; throws on any other. */
export function vtimezone(timeZone: string): string[] {
	const lines = VTIMEZONES[timeZone];
	if (!lines) throw new RangeError(`No VTIMEZONE for time zone ${JSON.stringify(timeZone)}`);
	return lines;
}

/** TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, and newlines as `\n`. */
export function escapeText(value: string): string {
	return (
		value
			.replace(/\\/g, '\\\\')
			.replace(/;/g, '\\;')
			.replace(/,/g, '\\,')
			.replace(/\r\n|\r|\n/g, '\\n')
			// Other control characters are not allowed in TEXT (3.3.11); they carry nothing a reader needs.
			// eslint-disable-next-line no-control-regex
			.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
	);
}

const encoder = new TextEncoder();

/**
 * Folds one content line (3.1): at most 75 octets per physical line, continuation lines start with one
 * space (which counts), and a UTF-8 character is never cut in two. Returns the lines joined by CRLF.
 */
export function foldLine(line: string): string {
	if (encoder.encode(line).length <= MAX_OCTETS) return line;
	const parts: string[] = [];
	let current = '';
	let octets = 0;
	for (const char of line) {
		const size = encoder.encode(char).length;
		const limit = parts.length === 0 ? MAX_OCTETS : MAX_OCTETS - 1;
		if (octets + size > limit) {
			parts.push(current);
			current = '';
			octets = 0;
		}
		current += char;
		octets += size;
	}
	parts.push(current);
	return parts.map((part, index) => (index === 0 ? part : ` ${part}`)).join(CRLF);
}

/** `2026-12-08` + `09:00` -> `20261208T090000` (a local DATE-TIME, read with its TZID). */
function localDateTime(date: LocalDate, time: LocalTime): string {
	return `${date.replace(/-/g, '')}T${time.replace(':', '')}00`;
}

/** `20261127T061349Z`: a UTC DATE-TIME. */
export function utcDateTime(instant: Date): string {
	return instant
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d{3}/, '');
}

function eventLines(event: IcsEvent, dtstamp: string): string[] {
	const lines = [
		'BEGIN:VEVENT',
		`UID:${escapeText(event.uid)}`,
		`DTSTAMP:${dtstamp}`,
		`SEQUENCE:${Math.max(0, Math.trunc(event.sequence))}`,
		`DTSTART;TZID=${event.timeZone}:${localDateTime(event.date, event.start)}`,
		`DTEND;TZID=${event.timeZone}:${localDateTime(event.date, event.end)}`,
		`STATUS:${event.status}`,
		`SUMMARY:${escapeText(event.summary)}`,
		`LOCATION:${escapeText(event.location)}`,
		`DESCRIPTION:${escapeText(event.description)}`,
		`URL;VALUE=URI:${event.url}`
	];
	if (event.geo) lines.push(`GEO:${event.geo.latitude.toFixed(6)};${event.geo.longitude.toFixed(6)}`);
	// A bus's visit is a public service's opening: it should not mark the subscriber as busy.
	lines.push('TRANSP:TRANSPARENT', 'END:VEVENT');
	return lines;
}

/** The whole VCALENDAR, CRLF after every line including the last. */
export function buildIcs(calendar: IcsCalendar): string {
	const zones = [...new Set(calendar.events.map((event) => event.timeZone))].sort();
	const dtstamp = utcDateTime(calendar.now);
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		'PRODID:-//Escale//Bus France services//FR',
		'CALSCALE:GREGORIAN',
		'METHOD:PUBLISH',
		`NAME:${escapeText(calendar.name)}`,
		`X-WR-CALNAME:${escapeText(calendar.name)}`,
		`DESCRIPTION:${escapeText(calendar.description)}`,
		`X-WR-CALDESC:${escapeText(calendar.description)}`,
		// RFC 7986 and its older Microsoft twin: how often a subscribed calendar should look again.
		'REFRESH-INTERVAL;VALUE=DURATION:PT6H',
		'X-PUBLISHED-TTL:PT6H',
		...(zones.length === 1 && zones[0] ? [`X-WR-TIMEZONE:${zones[0]}`] : []),
		...zones.flatMap(vtimezone),
		...calendar.events.flatMap((event) => eventLines(event, dtstamp)),
		'END:VCALENDAR'
	];
	return lines.map(foldLine).join(CRLF) + CRLF;
}
