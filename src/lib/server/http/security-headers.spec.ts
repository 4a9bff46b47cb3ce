import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	STATIC_SECURITY_HEADERS,
	dropValidatorsOfImmutableFiles
} from '../../../../scripts/static-headers.js';
import { CONTENT_SECURITY_POLICY } from '../../../../svelte.config.js';
import { sessionCookieOptions } from '../auth/cookie';
import {
	EVERY_ANSWER_HEADERS,
	PUBLIC_SEARCH_ROUTE,
	STRICT_TRANSPORT_SECURITY,
	handleSecurityHeaders,
	permissionsPolicy,
	securityHeaders
} from './security-headers';

const HTTP = new URL('http://escale.local:3000/');
const HTTPS = new URL('https://escale.example/');
const HTML = 'text/html; charset=utf-8';

/** Runs the hook on a request for `url` that SvelteKit resolved to `routeId` and answered with `answer`. */
function runHook(routeId: string | null, url: URL, answer: Response) {
	const event = { route: { id: routeId }, url } as RequestEvent;
	return handleSecurityHeaders({ event, resolve: async () => answer });
}

describe('Permissions-Policy', () => {
	it('lets the public search, and only it, ask for the position', () => {
		expect(permissionsPolicy(PUBLIC_SEARCH_ROUTE)).toMatch(/(^|, )geolocation=\(self\)(,|$)/);
		for (const route of [
			'/(public)/communes/[slug]',
			'/(public)/arrets/[id]',
			'/equipage',
			'/coordination',
			'/api/health',
			null
		]) {
			expect(permissionsPolicy(route), String(route)).toMatch(/(^|, )geolocation=\(\)(,|$)/);
		}
	});

	it('refuses the camera, the microphone, payment and USB to every page', () => {
		for (const route of [PUBLIC_SEARCH_ROUTE, '/equipage/accueillir', null]) {
			const policy = permissionsPolicy(route).split(', ');
			expect(policy).toEqual(expect.arrayContaining(['camera=()', 'microphone=()', 'payment=()', 'usb=()']));
			// Only geolocation may name an origin, and only on the search.
			expect(policy.filter((item) => !item.endsWith('=()'))).toEqual(
				route === PUBLIC_SEARCH_ROUTE ? ['geolocation=(self)'] : []
			);
		}
	});
});

describe('securityHeaders', () => {
	it('gives a page its Permissions-Policy and forbids framing it', () => {
		expect(securityHeaders(PUBLIC_SEARCH_ROUTE, HTTP, HTML)).toEqual({
			'referrer-policy': 'no-referrer',
			'x-content-type-options': 'nosniff',
			'permissions-policy': permissionsPolicy(PUBLIC_SEARCH_ROUTE),
			'x-frame-options': 'DENY'
		});
	});

	it('keeps API answers to the headers that matter outside a document', () => {
		expect(securityHeaders('/api/sync/pull', HTTP, 'application/json')).toEqual(EVERY_ANSWER_HEADERS);
		expect(securityHeaders('/api/health', HTTP, null)).toEqual(EVERY_ANSWER_HEADERS);
	});

	it('promises HSTS only to a request that came over TLS', () => {
		expect(securityHeaders('/equipage', HTTPS, HTML)['strict-transport-security']).toBe(
			'max-age=31536000; includeSubDomains'
		);
		expect(securityHeaders('/api/health', HTTPS, 'application/json')).toHaveProperty(
			'strict-transport-security',
			STRICT_TRANSPORT_SECURITY
		);
		expect(securityHeaders('/equipage', HTTP, HTML)).not.toHaveProperty('strict-transport-security');
	});

	it('sends HSTS exactly when the session cookie is Secure', () => {
		for (const url of [HTTP, HTTPS]) {
			const hsts = 'strict-transport-security' in securityHeaders('/coordination', url, HTML);
			expect(sessionCookieOptions(url).secure, url.href).toBe(hsts);
		}
	});

	it('include, with the same values, those scripts/serve.js gives the static files', () => {
		expect(EVERY_ANSWER_HEADERS).toMatchObject(STATIC_SECURITY_HEADERS);
		expect(STATIC_SECURITY_HEADERS).toHaveProperty('x-content-type-options', 'nosniff');
	});
});

describe('handleSecurityHeaders', () => {
	it('adds the headers of the route SvelteKit resolved, not of the path', async () => {
		const search = await runHook(
			PUBLIC_SEARCH_ROUTE,
			new URL('/en', HTTPS),
			new Response('<h1>', { headers: { 'content-type': HTML } })
		);
		expect(search.headers.get('permissions-policy')).toContain('geolocation=(self)');
		expect(search.headers.get('strict-transport-security')).toBe(STRICT_TRANSPORT_SECURITY);

		// A commune page whose address looks like the search's still gets no geolocation.
		const commune = await runHook(
			'/(public)/communes/[slug]',
			new URL('/?x=/', HTTP),
			new Response('<h1>', { headers: { 'content-type': HTML } })
		);
		expect(commune.headers.get('permissions-policy')).toContain('geolocation=()');
		expect(commune.headers.get('referrer-policy')).toBe('no-referrer');
		expect(commune.headers.get('x-content-type-options')).toBe('nosniff');
	});

	it('keeps an answer whose headers cannot change, with its status, body and location', async () => {
		const redirect = Response.redirect('https://escale.example/coordination', 303);
		const answer = await runHook('/coordination/connexion', HTTPS, redirect);
		expect(answer.status).toBe(303);
		expect(answer.headers.get('location')).toBe('https://escale.example/coordination');
		expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
		expect(answer.headers.get('strict-transport-security')).toBe(STRICT_TRANSPORT_SECURITY);
	});
});

describe("the pages' Content-Security-Policy (svelte.config.js)", () => {
	const sources = (directive: keyof typeof CONTENT_SECURITY_POLICY) =>
		(CONTENT_SECURITY_POLICY[directive] ?? []) as string[];

	it('runs and styles nothing inline, and loads everything from this site only', () => {
		for (const directive of ['default-src', 'script-src', 'style-src'] as const) {
			expect(sources(directive), directive).toEqual(['self']);
		}
		// One style attribute, by its hash: SvelteKit's route announcer.
		expect(sources('style-src-attr')).toEqual([
			'unsafe-hashes',
			expect.stringMatching(/^sha256-[A-Za-z0-9+/]{43}=$/)
		]);
		for (const directive of ['connect-src', 'img-src', 'font-src', 'worker-src', 'manifest-src'] as const) {
			expect(sources(directive), directive).toEqual(['self']);
		}
	});

	it('allows no plugin, no other base, no form elsewhere and no framing', () => {
		expect(sources('object-src')).toEqual(['none']);
		expect(sources('base-uri')).toEqual(['self']);
		expect(sources('form-action')).toEqual(['self']);
		expect(sources('frame-ancestors')).toEqual(['none']);
	});
});

describe("the build's hashed files", () => {
	it('are answered without ETag and Last-Modified, which nobody asks for; other files keep them', async () => {
		// As sirv writes a static file: one validator set beforehand, the other in writeHead's headers.
		const server = createServer((req, res) => {
			dropValidatorsOfImmutableFiles(req, res);
			res.setHeader('Last-Modified', 'Mon, 30 Nov 2026 22:38:18 GMT');
			res.writeHead(200, { ETag: 'W/"77-1796078298352"', 'Content-Type': 'text/javascript' });
			res.end('export {};');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		try {
			const hashed = await fetch(`${base}/_app/immutable/entry/start.GtLaAKHv.js`);
			expect(hashed.headers.get('etag')).toBeNull();
			expect(hashed.headers.get('last-modified')).toBeNull();
			expect(hashed.headers.get('content-type')).toBe('text/javascript');
			expect(await hashed.text()).toBe('export {};');

			const worker = await fetch(`${base}/service-worker.js`);
			expect(worker.headers.get('etag')).toBe('W/"77-1796078298352"');
			expect(worker.headers.get('last-modified')).toBe('Mon, 30 Nov 2026 22:38:18 GMT');
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});
});
