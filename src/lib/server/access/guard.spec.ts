import { isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, stopServer } from '../app';
import type { Caller } from './caller';
import { guard, guardApi, ruleOf } from './guard';

const member = (role: 'coordinateur' | 'national'): Caller => ({
	kind: 'member',
	id: 'm-1',
	email: 'x@exemple.fr',
	name: 'X',
	roles: [role]
});

/** The parts of a request event the guard reads. */
function event(
	caller: Caller | undefined,
	path = '/coordination/orientations',
	method = 'GET'
): RequestEvent {
	return {
		locals: caller ? { caller } : {},
		url: new URL(`http://escale.test${path}?status=open`),
		request: new Request(`http://escale.test${path}`, { method })
	} as unknown as RequestEvent;
}

async function thrown(run: () => unknown): Promise<unknown> {
	try {
		await run();
	} catch (error) {
		return error;
	}
	throw new Error('expected the guard to refuse');
}

beforeEach(async () => {
	await startServer(
		{ dataDir: '', database: { engine: 'sqlite', file: ':memory:' }, seedDemo: false },
		() => {}
	);
});
afterEach(stopServer);

describe('guard (pages, form actions)', () => {
	const load = guard('referral.move', (_event, { caller, store }) => ({
		who: caller.name,
		engine: store.engine
	}));

	it('tags the wrapped function with its permission', () => {
		expect(ruleOf(load)).toBe('referral.move');
		expect(ruleOf(() => null)).toBeUndefined();
	});

	it('runs the handler for an allowed caller, with the caller and the store', async () => {
		expect(await load(event(member('coordinateur')))).toEqual({ who: 'X', engine: 'sqlite' });
	});

	it('sends nobody to the sign-in page, with the page to come back to', async () => {
		const error = await thrown(() => load(event(undefined)));
		expect(isRedirect(error) && error.status).toBe(303);
		expect(isRedirect(error) && error.location).toBe(
			`/coordination/connexion?suite=${encodeURIComponent('/coordination/orientations?status=open')}`
		);
	});

	it('never sends a form action back to itself after sign-in (only a page)', async () => {
		const error = await thrown(() =>
			load(event({ kind: 'anonymous' }, '/coordination/orientations', 'POST'))
		);
		expect(isRedirect(error) && error.location).toBe(
			`/coordination/connexion?suite=${encodeURIComponent('/coordination/orientations')}`
		);
	});

	it('answers 403 to a member without the role, and to a tablet as to nobody', async () => {
		const forbidden = await thrown(() => load(event(member('national'))));
		expect(isHttpError(forbidden, 403)).toBe(true);
		const tablet = await thrown(() =>
			load(event({ kind: 'device', deviceId: 'dev-a', busId: 'fs-1', revoked: false }))
		);
		expect(isRedirect(tablet)).toBe(true);
	});
});

describe('guardApi (endpoints)', () => {
	const endpoint = guardApi('sync.pull', (_event, { caller }) => new Response(caller.busId));

	it('answers nobody 401, a removed tablet 403 device_revoked and a member 403 forbidden, in JSON', async () => {
		const cases: [Caller | undefined, number, string][] = [
			[undefined, 401, 'unauthenticated'],
			[{ kind: 'device', deviceId: 'dev-b', busId: 'fs-1', revoked: true }, 403, 'device_revoked'],
			[member('coordinateur'), 403, 'forbidden']
		];
		for (const [caller, status, code] of cases) {
			const response = await endpoint(event(caller, '/api/sync/pull', 'POST'));
			expect(response.status).toBe(status);
			expect(response.headers.get('content-type')).toMatch(/^application\/json/);
			expect(response.headers.get('cache-control')).toBe('no-store');
			expect(await response.json()).toEqual({ error: { code, message: expect.any(String) } });
		}
	});

	it('runs the handler for its tablet', async () => {
		const response = await endpoint(
			event({ kind: 'device', deviceId: 'dev-a', busId: 'fs-1', revoked: false }, '/api/sync/pull', 'POST')
		);
		expect(await response.text()).toBe('fs-1');
	});
});
