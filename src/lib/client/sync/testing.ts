/**
 * Test support for the sync client: a fetch that hands each request, decoded, to a handler (a stand-in
 * server or the real handlers), and builders of the answers a network can give. Imported by specs only.
 */
import type { FetchLike } from './transport';

export interface SentRequest {
	path: string;
	headers: Headers;
	body: unknown;
}

/** The JSON a request carried, gunzipped when it says it is gzip. */
export async function readRequestBody(init: RequestInit): Promise<unknown> {
	const headers = new Headers(init.headers);
	const raw = new Response(init.body as BodyInit);
	if (headers.get('content-encoding') !== 'gzip') return raw.json();
	const stream = raw.body!.pipeThrough(new DecompressionStream('gzip'));
	return new Response(stream).json();
}

/** A fetch that records every request and answers with `handle`. */
export function recordingFetch(handle: (request: SentRequest) => Response | Promise<Response>): {
	fetch: FetchLike;
	sent: SentRequest[];
} {
	const sent: SentRequest[] = [];
	const fetch: FetchLike = async (input, init) => {
		const request = {
			path: new URL(input, 'http://tablet.test').pathname,
			headers: new Headers(init.headers),
			body: await readRequestBody(init)
		};
		sent.push(request);
		return handle(request);
	};
	return { fetch, sent };
}

export function jsonResponse(body: unknown, status = 200): Response {
	return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** What a hotel or station Wi-Fi answers before login: 200, HTML. */
export function captivePortalPage(): Response {
	return new Response('<!doctype html><title>Connexion Wi-Fi</title><form>Accepter</form>', {
		status: 200,
		headers: { 'content-type': 'text/html; charset=utf-8' }
	});
}

/** A JSON answer cut off mid-body, as a dropped connection leaves it. */
export function truncatedJson(body: unknown): Response {
	const text = JSON.stringify(body);
	return new Response(text.slice(0, Math.floor(text.length / 2)), {
		status: 200,
		headers: { 'content-type': 'application/json' }
	});
}

export function errorResponse(status: number, code: string): Response {
	return jsonResponse({ error: { code, message: 'Refusé' } }, status);
}
