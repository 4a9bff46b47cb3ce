import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { createTransport } from './transport';
import { captivePortalPage, errorResponse, jsonResponse, recordingFetch, truncatedJson } from './testing';

const AnswerSchema = v.object({ ok: v.literal(true), serverTime: v.string() });
const answer = { ok: true, serverTime: '2026-03-10T10:00:00.000Z' };

function transportAnswering(response: () => Response | Promise<Response>, now?: () => number) {
	const { fetch, sent } = recordingFetch(response);
	return { transport: createTransport({ fetch, now }), sent };
}

describe('the sync transport', () => {
	it('sends the body as gzip-compressed JSON with the bearer token', async () => {
		const { transport, sent } = transportAnswering(() => jsonResponse(answer));
		await transport.post('/api/sync/pull', { protocol: 1, cursor: null }, AnswerSchema, 'dev.secret');
		expect(sent[0]?.path).toBe('/api/sync/pull');
		expect(sent[0]?.headers.get('content-encoding')).toBe('gzip');
		expect(sent[0]?.headers.get('authorization')).toBe('Bearer dev.secret');
		expect(sent[0]?.body).toEqual({ protocol: 1, cursor: null });
	});

	it('accepts a 2xx JSON answer that validates, and measures the clock offset from its midpoint', async () => {
		let clock = Date.parse('2026-03-10T09:59:00.000Z');
		const { transport } = transportAnswering(
			() => ((clock += 2_000), jsonResponse(answer)),
			() => clock
		);
		const result = await transport.post('/x', {}, AnswerSchema);
		// Sent at 09:59:00, answered at 09:59:02: the midpoint is 09:59:01, the server says 10:00:00.
		expect(result).toEqual({ ok: true, body: answer, clockOffsetMs: 59_000 });
	});

	it("treats a captive portal's 200 HTML page as a failure, never an answer", async () => {
		const { transport } = transportAnswering(captivePortalPage);
		expect(await transport.post('/x', {}, AnswerSchema)).toEqual({
			ok: false,
			kind: 'invalid_response',
			status: 200
		});
	});

	it('treats a truncated JSON body as a failure', async () => {
		const { transport } = transportAnswering(() => truncatedJson(answer));
		expect(await transport.post('/x', {}, AnswerSchema)).toMatchObject({
			ok: false,
			kind: 'invalid_response'
		});
	});

	it('treats JSON that does not match the protocol as a failure', async () => {
		const { transport } = transportAnswering(() => jsonResponse({ ok: 'yes', serverTime: 3 }));
		expect(await transport.post('/x', {}, AnswerSchema)).toMatchObject({
			ok: false,
			kind: 'invalid_response'
		});
	});

	it('reports a network error as offline', async () => {
		const transport = createTransport({
			fetch: () => Promise.reject(new TypeError('Failed to fetch'))
		});
		expect(await transport.post('/x', {}, AnswerSchema)).toEqual({ ok: false, kind: 'offline' });
	});

	it('tells server errors, revocation, lost authentication and refused requests apart', async () => {
		const cases: [Response, object][] = [
			[new Response('oops', { status: 502 }), { kind: 'server_error', status: 502 }],
			[errorResponse(500, 'internal'), { kind: 'server_error', status: 500 }],
			// Too many attempts: try again later, like a server error, never a final refusal.
			[errorResponse(429, 'rate_limited'), { kind: 'server_error', status: 429 }],
			[errorResponse(403, 'device_revoked'), { kind: 'device_revoked' }],
			[errorResponse(401, 'unauthenticated'), { kind: 'unauthenticated' }],
			[
				errorResponse(400, 'enrollment_code_invalid'),
				{ kind: 'request_refused', code: 'enrollment_code_invalid' }
			],
			[new Response('<html>Forbidden</html>', { status: 403 }), { kind: 'invalid_response', status: 403 }]
		];
		for (const [response, expected] of cases) {
			const { transport } = transportAnswering(() => response);
			expect(await transport.post('/x', {}, AnswerSchema)).toMatchObject({ ok: false, ...expected });
		}
	});
});
