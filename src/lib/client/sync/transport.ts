/**
 * One request to the sync API, judged strictly. An answer counts only when it is 2xx, says `application/json`,
 * parses, and validates against the protocol's schema: a captive portal's 200 HTML page or a body cut short is a
 * failure to retry, never an acknowledgement (Workbox Background Sync treats any status as success and loses data
 * that way: docs/offline-data-loss.md). Bodies go gzip-compressed where CompressionStream exists.
 */
import * as v from 'valibot';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Why a request did not produce a valid answer. Only `device_revoked` and `unauthenticated` are final. */
export type TransportFailure =
	| { ok: false; kind: 'offline' }
	| { ok: false; kind: 'server_error'; status: number }
	| { ok: false; kind: 'invalid_response'; status: number }
	| { ok: false; kind: 'unauthenticated' }
	| { ok: false; kind: 'device_revoked' }
	| { ok: false; kind: 'request_refused'; status: number; code: string };

export interface TransportSuccess<T> {
	ok: true;
	body: T;
	/** Server clock minus device clock, from the answer's serverTime and the request's midpoint. */
	clockOffsetMs: number;
}
export type TransportResult<T> = TransportSuccess<T> | TransportFailure;

export interface TransportOptions {
	fetch: FetchLike;
	/** Prefix of the API paths ('' in the browser: same origin). */
	baseUrl?: string;
	/** Device clock in ms; tests skew it. */
	now?: () => number;
	/** Give up on a request after this long (a stalled 2G link must not hold the sync lock forever). */
	timeoutMs?: number;
}

export interface Transport {
	post<T extends { serverTime: string }>(
		path: string,
		body: unknown,
		schema: v.GenericSchema<unknown, T>,
		token?: string
	): Promise<TransportResult<T>>;
}

const ErrorBodySchema = v.object({ error: v.object({ code: v.string() }) });

/**
 * The JSON of `body`, gzip-compressed when the browser can; the encoding to announce with it. The bytes go
 * into the compressor in one write (a Blob's stream feeds it in small chunks, each a promise: twice the time
 * for a push of 500 visits).
 */
export async function encodeBody(body: unknown): Promise<{ data: BodyInit; encoding: string | null }> {
	const json = JSON.stringify(body);
	if (typeof CompressionStream === 'undefined') return { data: json, encoding: null };
	const gzip = new CompressionStream('gzip');
	const writer = gzip.writable.getWriter();
	const [data] = await Promise.all([
		new Response(gzip.readable).arrayBuffer(),
		writer.write(new TextEncoder().encode(json)),
		writer.close()
	]);
	return { data, encoding: 'gzip' };
}

function isJson(response: Response): boolean {
	const type = response.headers.get('content-type') ?? '';
	return type.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** The body as JSON, or undefined when it is not JSON (HTML page, truncated stream, dropped connection). */
async function readJson(response: Response): Promise<unknown> {
	try {
		return JSON.parse(await response.text()) as unknown;
	} catch {
		return undefined;
	}
}

async function judgeFailure(response: Response): Promise<TransportFailure> {
	const { status } = response;
	if (status >= 500 || status === 408 || status === 429) return { ok: false, kind: 'server_error', status };
	const parsed = v.safeParse(ErrorBodySchema, isJson(response) ? await readJson(response) : undefined);
	const code = parsed.success ? parsed.output.error.code : 'unknown';
	if (status === 401) return { ok: false, kind: 'unauthenticated' };
	if (status === 403 && code === 'device_revoked') return { ok: false, kind: 'device_revoked' };
	// Without the server's JSON error body this 4xx may come from a proxy or portal: try again later.
	if (!parsed.success) return { ok: false, kind: 'invalid_response', status };
	return { ok: false, kind: 'request_refused', status, code };
}

export function createTransport(options: TransportOptions): Transport {
	const { fetch, baseUrl = '', now = Date.now, timeoutMs = 60_000 } = options;
	return {
		async post(path, body, schema, token) {
			const { data, encoding } = await encodeBody(body);
			const headers: Record<string, string> = { 'content-type': 'application/json' };
			if (encoding) headers['content-encoding'] = encoding;
			if (token) headers['authorization'] = `Bearer ${token}`;
			const started = now();
			let response: Response;
			let json: unknown;
			try {
				response = await fetch(`${baseUrl}${path}`, {
					method: 'POST',
					headers,
					body: data,
					cache: 'no-store',
					signal: AbortSignal.timeout(timeoutMs)
				});
				if (response.status < 200 || response.status > 299) return await judgeFailure(response);
				if (!isJson(response)) return { ok: false, kind: 'invalid_response', status: response.status };
				json = await readJson(response);
			} catch {
				return { ok: false, kind: 'offline' };
			}
			const finished = now();
			const parsed = v.safeParse(schema, json);
			if (!parsed.success) return { ok: false, kind: 'invalid_response', status: response.status };
			const serverTime = Date.parse(parsed.output.serverTime);
			const clockOffsetMs = Number.isNaN(serverTime) ? 0 : serverTime - (started + finished) / 2;
			return { ok: true, body: parsed.output, clockOffsetMs };
		}
	};
}
