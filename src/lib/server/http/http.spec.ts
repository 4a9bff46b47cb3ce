import { describe, expect, it } from 'vitest';
import { looksLikeApiPath } from '../access/routes';
import { apiError, codeForStatus, isJsonResponse } from './api-error';
import { isCrossSiteForm } from './cross-site';

const SITE = new URL('https://escale.example/coordination');
const form = (method: string, type: string | null, origin: string | null) =>
	new Request('https://escale.example/coordination?/move', {
		method,
		headers: { ...(type ? { 'content-type': type } : {}), ...(origin ? { origin } : {}) },
		body: method === 'GET' ? null : 'x=1'
	});

describe('the cross-site form check', () => {
	it('refuses a form sent by another site, or by no site at all, with any form content type', () => {
		for (const type of [
			'application/x-www-form-urlencoded',
			'multipart/form-data; boundary=x',
			'TEXT/PLAIN;charset=utf-8',
			'application/x-sveltekit-formdata'
		]) {
			expect(isCrossSiteForm(form('POST', type, 'https://ailleurs.example'), SITE), type).toBe(true);
			expect(isCrossSiteForm(form('POST', type, null), SITE), type).toBe(true);
		}
		for (const method of ['PUT', 'PATCH', 'DELETE']) {
			expect(isCrossSiteForm(form(method, 'text/plain', 'https://ailleurs.example'), SITE)).toBe(true);
		}
	});

	it('reads Fetch Metadata when a form posted without JavaScript names its origin null', () => {
		const nullOrigin = (site: string | null) =>
			new Request('https://escale.example/coordination?/move', {
				method: 'POST',
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					origin: 'null',
					...(site ? { 'sec-fetch-site': site } : {})
				},
				body: 'x=1'
			});
		expect(isCrossSiteForm(nullOrigin('same-origin'), SITE)).toBe(false);
		for (const site of ['cross-site', 'same-site', 'none', null]) {
			expect(isCrossSiteForm(nullOrigin(site), SITE), String(site)).toBe(true);
		}
	});

	it('lets this site forms, JSON bodies and reads through', () => {
		expect(
			isCrossSiteForm(form('POST', 'application/x-www-form-urlencoded', 'https://escale.example'), SITE)
		).toBe(false);
		expect(isCrossSiteForm(form('POST', 'application/json', 'https://ailleurs.example'), SITE)).toBe(false);
		expect(isCrossSiteForm(form('GET', null, 'https://ailleurs.example'), SITE)).toBe(false);
	});
});

describe('API errors', () => {
	it('are JSON in the one shape, never cached, with the status of their code', async () => {
		const response = apiError('method_not_allowed', { Allow: 'GET, HEAD' });
		expect(response.status).toBe(405);
		expect(response.headers.get('allow')).toBe('GET, HEAD');
		expect(response.headers.get('cache-control')).toBe('no-store');
		expect(isJsonResponse(response)).toBe(true);
		expect(await response.json()).toEqual({
			error: { code: 'method_not_allowed', message: expect.any(String) }
		});
	});

	it('name a status made elsewhere by its generic code', () => {
		expect(codeForStatus(403)).toBe('forbidden');
		expect(codeForStatus(404)).toBe('not_found');
		expect(codeForStatus(413)).toBe('payload_too_large');
		expect(codeForStatus(418)).toBe('invalid_request');
		expect(codeForStatus(502)).toBe('internal');
	});

	it('are answered in JSON on paths that read as the API even when no route matched', () => {
		for (const path of ['/api/x', '//api/x', '/API/Sync', '/%61pi/x', '/en/api/x', '/api']) {
			expect(looksLikeApiPath(path), path).toBe(true);
		}
		for (const path of ['/', '/apiculture', '/coordination', '/communes/api-01001', '/%E0%A4%A']) {
			expect(looksLikeApiPath(path), path).toBe(false);
		}
	});
});
