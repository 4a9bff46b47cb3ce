/**
 * The open-data and calendar endpoints as plain Web handlers, `(store, url, ...) => Promise<Response>`, so
 * routes and tests call the same code. Query strings are validated with valibot: a bad value is a 400 in
 * JSON naming the parameter; an unknown id is a 404; only a fault of the server is a 500 (logged without
 * the query). Unknown parameters are ignored (cache busters), a repeated known one is refused.
 */
import * as v from 'valibot';
import { addDays, isLocalDate, localDateIn } from '$lib/domain/calendar';
import { parseCommuneSlug } from '$lib/domain/commune-slug';
import { log } from '../log';
import type { Store } from '../store/store';
import { communeCalendar, stopCalendar, type CalendarFeed } from './calendars';
import { toCsv, type CsvColumn } from './csv';
import {
	BUS_COLUMNS,
	DEFAULT_WINDOW_DAYS,
	isWindowAllowed,
	LICENCE,
	listOpenBuses,
	listOpenServiceDays,
	listOpenStops,
	MAX_WINDOW_DAYS,
	SERVICE_DAY_COLUMNS,
	STOP_COLUMNS
} from './open-data';

export type Format = 'json' | 'csv';

/** The zone whose "today" starts the default window: the mainland's, where most buses run. */
const DEFAULT_ZONE = 'Europe/Paris';
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A refusal of the request: its status, and the parameter it names when one is to blame. */
export class OpenDataError extends Error {
	override name = 'OpenDataError';
	constructor(
		readonly status: 400 | 404,
		message: string,
		readonly parameter?: string
	) {
		super(message);
	}
}

const PUBLIC_CACHE = 'public, max-age=300';
const LICENCE_HEADERS = {
	Link: `<${LICENCE.url}>; rel="license"`,
	'X-Licence': LICENCE.name,
	'Access-Control-Allow-Origin': '*'
};

export function errorResponse(error: OpenDataError): Response {
	const code = error.status === 404 ? 'not_found' : 'invalid_parameter';
	const body = {
		error:
			error.parameter === undefined
				? { code, message: error.message }
				: { code, message: error.message, parameter: error.parameter }
	};
	return new Response(JSON.stringify(body), {
		status: error.status,
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Cache-Control': 'no-store',
			'Access-Control-Allow-Origin': '*'
		}
	});
}

async function guard(name: string, inner: () => Promise<Response>): Promise<Response> {
	try {
		return await inner();
	} catch (error) {
		if (error instanceof OpenDataError) return errorResponse(error);
		log().error(
			`open_data.${name.replaceAll(' ', '_')}.unexpected`,
			`Escale open data ${name}: unexpected ${error instanceof Error ? error.name : 'error'}`,
			error
		);
		return new Response(
			JSON.stringify({
				error: { code: 'internal', message: 'Erreur interne du serveur : réessayez plus tard' }
			}),
			{
				status: 500,
				headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }
			}
		);
	}
}

/** The single value of each known parameter; a repeated one is refused (which one would we take?). */
function singleParameters(url: URL, names: readonly string[]): Record<string, string> {
	const values: Record<string, string> = {};
	for (const name of names) {
		const all = url.searchParams.getAll(name);
		if (all.length > 1)
			throw new OpenDataError(400, `Le paramètre « ${name} » est répété : donnez-le une seule fois.`, name);
		if (all[0] !== undefined) values[name] = all[0];
	}
	return values;
}

/** valibot's first issue, as a 400 naming its parameter. */
function parseQuery<T>(schema: v.GenericSchema<unknown, T>, input: Record<string, string>): T {
	const result = v.safeParse(schema, input, { abortEarly: true });
	if (result.success) return result.output;
	const issue = result.issues[0];
	const key = issue?.path?.[0]?.key;
	const parameter = typeof key === 'string' ? key : undefined;
	throw new OpenDataError(400, issue?.message ?? 'Paramètre invalide', parameter);
}

/** Years the schedule can hold: far enough for any real query, and no window spills past year 9999. */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2199;

const dateParameter = (name: string) =>
	v.optional(
		v.pipe(
			v.string(),
			v.check(
				(value: string) =>
					isLocalDate(value) && value >= `${FIRST_YEAR}-01-01` && value <= `${LAST_YEAR}-12-31`,
				`Le paramètre « ${name} » doit être une date réelle au format AAAA-MM-JJ (par exemple 2026-12-08), entre ${FIRST_YEAR} et ${LAST_YEAR}.`
			)
		)
	);

const ServiceDaysQuery = v.object({
	from: dateParameter('from'),
	to: dateParameter('to'),
	bus: v.optional(
		v.pipe(
			v.string(),
			v.regex(ID, 'Le paramètre « bus » doit être un identifiant de bus (par exemple fs-47).')
		)
	)
});

const DownloadQuery = v.object({
	download: v.optional(v.picklist(['0', '1'], 'Le paramètre « download » vaut 1 (télécharger) ou 0.'))
});

function jsonBody(items: unknown[], now: Date, extra: Record<string, unknown> = {}): string {
	return JSON.stringify({
		licence: LICENCE,
		source: 'Escale',
		generatedAt: now.toISOString(),
		...extra,
		count: items.length,
		items
	});
}

function dataResponse<Row>(
	format: Format,
	name: string,
	rows: Row[],
	columns: readonly CsvColumn<Row>[],
	now: Date,
	extra: Record<string, unknown> = {},
	headers: Record<string, string> = {}
): Response {
	const common = { 'Cache-Control': PUBLIC_CACHE, ...LICENCE_HEADERS, ...headers };
	if (format === 'json') {
		return new Response(jsonBody(rows, now, extra), {
			headers: { 'Content-Type': 'application/json; charset=utf-8', ...common }
		});
	}
	return new Response(toCsv(columns, rows), {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8; header=present',
			'Content-Disposition': `attachment; filename="escale-${name}.csv"`,
			...common
		}
	});
}

/** GET /api/open/buses.json|.csv: the national list of mobile France services. */
export function handleBuses(
	store: Store,
	_url: URL,
	format: Format,
	now = () => new Date()
): Promise<Response> {
	return guard('buses', async () =>
		dataResponse(format, 'bus', await listOpenBuses(store), BUS_COLUMNS, now())
	);
}

/** GET /api/open/stops.json|.csv: every stop with its `opening_hours`. */
export function handleStops(
	store: Store,
	url: URL,
	format: Format,
	now = () => new Date()
): Promise<Response> {
	return guard('stops', async () => {
		const at = now();
		return dataResponse(format, 'arrets', await listOpenStops(store, url.origin, at), STOP_COLUMNS, at);
	});
}

/** GET /api/open/service-days.json|.csv?from=&to=&bus=: the service days of a window (default 12 weeks). */
export function handleServiceDays(
	store: Store,
	url: URL,
	format: Format,
	now = () => new Date()
): Promise<Response> {
	return guard('service-days', async () => {
		const at = now();
		const query = parseQuery(ServiceDaysQuery, singleParameters(url, ['from', 'to', 'bus']));
		const from =
			query.from ?? (query.to ? addDays(query.to, -DEFAULT_WINDOW_DAYS) : localDateIn(at, DEFAULT_ZONE));
		const to = query.to ?? addDays(from, DEFAULT_WINDOW_DAYS);
		if (from > to)
			throw new OpenDataError(400, 'Le paramètre « to » doit être le même jour que « from » ou après.', 'to');
		if (!isWindowAllowed(from, to)) {
			throw new OpenDataError(
				400,
				`La période demandée dépasse ${MAX_WINDOW_DAYS} jours : réduisez l’écart entre « from » et « to ».`,
				'to'
			);
		}
		const busId = query.bus ?? null;
		if (busId !== null && !(await store.buses.get(busId))) {
			throw new OpenDataError(404, 'Aucun bus ne porte cet identifiant (voir /api/open/buses.json).', 'bus');
		}
		const { days, truncated } = await listOpenServiceDays(store, { from, to, busId });
		const headers: Record<string, string> = truncated ? { 'X-Escale-Truncated': 'true' } : {};
		return dataResponse(
			format,
			'jours-de-passage',
			days,
			SERVICE_DAY_COLUMNS,
			at,
			{ from, to, bus: busId, truncated },
			headers
		);
	});
}

function calendarResponse(feed: CalendarFeed, download: boolean): Response {
	const headers: Record<string, string> = {
		'Content-Type': 'text/calendar; charset=utf-8',
		'Cache-Control': PUBLIC_CACHE,
		...LICENCE_HEADERS
	};
	if (download) headers['Content-Disposition'] = `attachment; filename="${feed.filename}"`;
	return new Response(feed.ics, { headers });
}

/** GET /api/open/calendars/stops/<stopId>.ics[?download=1] */
export function handleStopCalendar(
	store: Store,
	url: URL,
	stopId: string,
	now = () => new Date()
): Promise<Response> {
	return guard('stop calendar', async () => {
		const { download } = parseQuery(DownloadQuery, singleParameters(url, ['download']));
		const feed = ID.test(stopId) ? await stopCalendar(store, stopId, url.origin, now()) : null;
		if (!feed)
			throw new OpenDataError(404, 'Aucun arrêt ne porte cet identifiant (voir /api/open/stops.json).');
		return calendarResponse(feed, download === '1');
	});
}

/** GET /api/open/calendars/communes/<slug>.ics[?download=1], the slug as `vouziers-08490`. */
export function handleCommuneCalendar(
	store: Store,
	url: URL,
	slug: string,
	now = () => new Date()
): Promise<Response> {
	return guard('commune calendar', async () => {
		const { download } = parseQuery(DownloadQuery, singleParameters(url, ['download']));
		const insee = parseCommuneSlug(slug);
		if (insee === null) {
			throw new OpenDataError(
				404,
				'Commune inconnue : l’adresse attendue est du type /api/open/calendars/communes/vouziers-08490.ics.'
			);
		}
		const feed = await communeCalendar(store, insee, url.origin, now());
		if (!feed)
			throw new OpenDataError(
				404,
				'Aucun bus France services ne passe dans cette commune (voir /api/open/stops.json).'
			);
		return calendarResponse(feed, download === '1');
	});
}
