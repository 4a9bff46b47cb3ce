/**
 * Every endpoint and form action, fed a few hundred generated bad requests each over real HTTP (the whole
 * stack: Node, adapter-node, the hooks, the guards, the handlers): odd methods, content types and encodings,
 * bodies that are not what the endpoint reads, query strings and path parameters from nowhere, callers with and
 * without credentials. Never a 5xx; every /api error answer is JSON in the error shape; and the server's
 * database is the same after each endpoint's batch as before (nothing partly written).
 *
 * The cases come from a fixed fast-check seed (ESCALE_FUZZ_SEED to try others), so a failure replays.
 */
import Database from 'better-sqlite3';
import { gzipSync } from 'node:zlib';
import * as fc from 'fast-check';
import { expect, test } from '@playwright/test';
import { DEMO_COORDINATOR } from './support/coordination';
import { enrollRaw, rawRequest, setCookie, type RawRequest, type RawResponse } from './support/raw-http';

const SERVER_DB = 'test-results/e2e-data/escale.sqlite';
const BASE = `http://localhost:${Number(process.env.ESCALE_E2E_PORT ?? 4173)}`;
const SEED = Number(process.env.ESCALE_FUZZ_SEED ?? 20261130);
const RUNS = 250;
const SESSION_COOKIE = 'escale_coordination';
const FORM_TYPE = 'application/x-www-form-urlencoded';

const send = (request: RawRequest) => rawRequest(BASE, request);

/** Row counts of every table, and the few columns a refused action could change. */
function snapshot(): Record<string, unknown> {
	const db = new Database(SERVER_DB, { readonly: true });
	try {
		const tables = (
			db
				.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
				.all() as {
				name: string;
			}[]
		).map((row) => row.name);
		// Left out on purpose: the brake's counts (`throttles`), which every attempt let through must charge, and
		// the secrets made on first use that key them. Everything else must stay as it was.
		const counted = tables.filter((name) => name !== 'throttles');
		const counts = Object.fromEntries(
			counted.map((name) => [
				name,
				(
					db
						.prepare(
							name === 'meta'
								? "SELECT COUNT(*) AS n FROM meta WHERE key NOT IN ('throttleKeySecret', 'deviceCookieSecret')"
								: `SELECT COUNT(*) AS n FROM "${name}"`
						)
						.get() as { n: number }
				).n
			])
		);
		return {
			counts,
			revoked: db.prepare('SELECT id FROM devices WHERE revoked_at IS NOT NULL ORDER BY id').all(),
			ledgers: db.prepare('SELECT id, last_mutation_id FROM devices ORDER BY id').all(),
			referrals: db.prepare('SELECT id, status FROM referrals ORDER BY id').all(),
			days: db.prepare("SELECT COUNT(*) AS n FROM service_days WHERE status <> 'planned'").get()
		};
	} finally {
		db.close();
	}
}

// ---- What a request is made of ----------------------------------------------------------------------------

const METHODS = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD');
const CONTENT_TYPES = fc.constantFrom(
	undefined,
	'application/json',
	'application/json; charset=latin1',
	FORM_TYPE,
	'multipart/form-data; boundary=----x',
	'text/plain',
	'text/html',
	'application/xml',
	'application/x-sveltekit-formdata',
	'%%%'
);
const ENCODINGS = fc.constantFrom(
	undefined,
	undefined,
	'gzip',
	'br',
	'deflate',
	'identity, gzip',
	'x-garbage'
);
/** Text nobody should send: control characters, lone surrogates, long runs, escapes, markup, SQL. */
const NASTY = fc.oneof(
	fc.string({ maxLength: 40 }),
	fc.string({ unit: 'binary', maxLength: 40 }),
	fc.constantFrom(
		'',
		' ',
		'\u0000',
		'\ud800',
		'%',
		'%zz',
		'../../etc/passwd',
		"' OR 1=1 --",
		'<script>alert(1)</script>',
		'0612345678',
		'jean.dupont@example.org',
		'1 85 05 78 006 084 36',
		'x'.repeat(5000),
		'null',
		'[]',
		'{}',
		'NaN',
		'1e400',
		'-0'
	)
);
const JSON_VALUES = fc.oneof(
	fc.jsonValue({ maxDepth: 3 }),
	fc.constantFrom('{', '[1,', '{"protocol":1', '\ufeff{}', 'true', '{"protocol":1,"__proto__":{"x":1}}')
);
const FORM_BODY = fc
	.array(
		fc.tuple(
			fc.oneof(
				fc.constantFrom(
					'id',
					'to',
					'busId',
					'deviceId',
					'confirm',
					'email',
					'password',
					'latitude',
					'longitude',
					'suite',
					'q',
					'status'
				),
				NASTY
			),
			NASTY
		),
		{
			maxLength: 6
		}
	)
	.map((pairs) => new URLSearchParams(pairs).toString());
const QUERY = fc.oneof(
	fc.constant(''),
	fc
		.array(
			fc.tuple(
				fc.oneof(fc.constantFrom('q', 'status', 'suite', 'from', 'to', 'bus', 'download', 'limit'), NASTY),
				NASTY
			),
			{
				maxLength: 4
			}
		)
		.map((pairs) => `?${new URLSearchParams(pairs).toString()}`),
	NASTY.map((text) => `?${encodeURIComponent(text.toWellFormed())}`),
	fc.constantFrom('?', '?&&', '?a=%', '?/around', '?/move&/revoke', '?x-sveltekit-invalidated=1')
);

interface Body {
	type?: string;
	encoding?: string;
	body?: string | Uint8Array;
}

/** A body of any shape: JSON or not, form-encoded, gzip of something, gzip of nothing, nothing at all. */
const BODIES: fc.Arbitrary<Body> = fc.oneof(
	fc.record({
		type: CONTENT_TYPES,
		body: JSON_VALUES.map((value) => (typeof value === 'string' ? value : JSON.stringify(value)))
	}),
	fc.record({ type: fc.constant(FORM_TYPE), body: FORM_BODY }),
	fc.record({ type: CONTENT_TYPES, encoding: ENCODINGS, body: fc.uint8Array({ maxLength: 200 }) }),
	fc.record({
		type: fc.constant('application/json'),
		encoding: fc.constant('gzip'),
		body: JSON_VALUES.map((value) => new Uint8Array(gzipSync(JSON.stringify(value))))
	}),
	fc.record({ type: CONTENT_TYPES, encoding: ENCODINGS, body: NASTY }),
	fc.constant({})
);

const TOKENS = fc.oneof(
	fc.constant(undefined),
	// Header values are bytes of printable ASCII (Node's client refuses others before sending).
	NASTY.map((text) => `Bearer ${text.replace(/[^\x20-\x7e]/g, '').slice(0, 200)}`),
	fc.constant(`Bearer dev-AAAAAAAAAAAAAAAA.${'A'.repeat(43)}`),
	fc.constantFrom('Basic YTpi', 'Bearer', 'bearer  x.y')
);

// ---- The endpoints --------------------------------------------------------------------------------------

interface Target {
	name: string;
	/** The generated requests, before the caller's credentials are added. */
	requests: fc.Arbitrary<RawRequest>;
	/** Whose credentials it is sent with (the door test tries every caller; here the one that reaches the code). */
	as: 'anonymous' | 'member' | 'device';
	/** A status that shows the batch got past the door to the code (a refusal of the input, or a page). */
	reaches: number;
}

function request(
	path: fc.Arbitrary<string>,
	method: fc.Arbitrary<string> = METHODS
): fc.Arbitrary<RawRequest> {
	return fc
		.record({ path, method, body: BODIES, token: TOKENS, origin: fc.boolean() })
		.map(({ path, method, body, token, origin }) => {
			const headers: Record<string, string> = {};
			if (body.type) headers['content-type'] = body.type;
			if (body.encoding) headers['content-encoding'] = body.encoding;
			if (token) headers.authorization = token;
			if (origin) headers.origin = BASE;
			const sendsBody = method !== 'GET' && method !== 'HEAD' && body.body !== undefined;
			return { method, path, headers, ...(sendsBody ? { body: body.body } : {}) };
		});
}

const at = (path: string) => QUERY.map((query) => `${path}${query}`);
const segment = NASTY.map((text) => encodeURIComponent(text.toWellFormed()).slice(0, 300) || 'x');
/** A form action answered by a page: always POST, same origin, form-encoded, junk fields. */
const action = (path: string) =>
	fc.record({ body: FORM_BODY, query: fc.constantFrom('', '&x=1') }).map(({ body, query }) => ({
		method: 'POST',
		path: `${path}${query}`,
		// As a browser without JavaScript posts it: the answer is a page with the action's status.
		headers: { 'content-type': FORM_TYPE, accept: 'text/html', origin: BASE },
		body
	}));

const TARGETS: Target[] = [
	{
		name: 'POST /api/sync/enroll',
		requests: request(fc.constant('/api/sync/enroll')),
		as: 'anonymous',
		reaches: 400
	},
	{
		name: 'POST /api/sync/push',
		requests: request(fc.constant('/api/sync/push'), fc.constant('POST')),
		as: 'device',
		reaches: 400
	},
	{
		name: 'POST /api/sync/pull',
		requests: request(fc.constant('/api/sync/pull'), fc.constant('POST')),
		as: 'device',
		reaches: 400
	},
	{
		name: 'GET /api/open/*.json|csv',
		requests: request(
			fc
				.tuple(fc.constantFrom('buses', 'stops', 'service-days'), fc.constantFrom('json', 'csv'), QUERY)
				.map(([what, format, query]) => `/api/open/${what}.${format}${query}`)
		),
		as: 'anonymous',
		reaches: 200
	},
	{
		name: 'GET /api/open/calendars/*',
		requests: request(
			fc
				.tuple(fc.constantFrom('communes', 'stops'), segment, QUERY)
				.map(([kind, id, query]) => `/api/open/calendars/${kind}/${id}.ics${query}`)
		),
		as: 'anonymous',
		reaches: 404
	},
	{
		name: 'GET /api/open/communes/*',
		requests: request(
			fc.tuple(segment, QUERY).map(([departement, query]) => `/api/open/communes/${departement}.json${query}`)
		),
		as: 'anonymous',
		reaches: 404
	},
	{ name: 'GET /api/health', requests: request(at('/api/health')), as: 'anonymous', reaches: 200 },
	{
		name: 'any /api address',
		requests: request(
			fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => `/api/${parts.join('/')}`)
		),
		as: 'anonymous',
		reaches: 404
	},
	{
		name: 'the search page',
		requests: request(at('/'), fc.constantFrom('GET', 'HEAD')),
		as: 'anonymous',
		reaches: 200
	},
	{ name: 'POST /?/around', requests: action('/?/around'), as: 'anonymous', reaches: 400 },
	{
		name: 'commune, poster and stop pages',
		requests: request(
			fc
				.tuple(
					fc.constantFrom('/communes/', '/arrets/'),
					segment,
					fc.constantFrom('', '/affiche', '/__data.json')
				)
				.map(([base, id, tail]) => `${base}${id}${tail}`),
			fc.constantFrom('GET', 'POST')
		),
		as: 'anonymous',
		reaches: 404
	},
	{
		name: 'the sign-in page',
		requests: request(at('/coordination/connexion'), fc.constantFrom('GET', 'HEAD')),
		as: 'anonymous',
		reaches: 200
	},
	{
		// Malformed sign-ins only: a well-formed wrong password would be a guess, which the sign-in brake
		// counts against this address and which would slow the other tests' sign-ins.
		name: 'POST /coordination/connexion',
		requests: action('/coordination/connexion').filter(({ body }) => {
			const fields = new URLSearchParams(typeof body === 'string' ? body : '');
			return !(fields.get('email')?.includes('@') && fields.get('password'));
		}),
		as: 'anonymous',
		reaches: 400
	},
	{
		name: 'POST /coordination?/issueCode',
		requests: action('/coordination?/issueCode'),
		as: 'member',
		reaches: 400
	},
	{
		name: 'POST /coordination?/revoke',
		requests: action('/coordination?/revoke'),
		as: 'member',
		reaches: 400
	},
	{
		name: 'the referrals page',
		requests: request(at('/coordination/orientations'), fc.constantFrom('GET', 'HEAD')),
		as: 'member',
		reaches: 200
	},
	{
		name: 'POST /coordination/orientations?/move',
		requests: action('/coordination/orientations?/move'),
		as: 'member',
		reaches: 400
	},
	{
		name: 'POST /coordination/deconnexion (no session)',
		requests: request(fc.constant('/coordination/deconnexion')),
		as: 'anonymous',
		reaches: 303
	}
];

const credentials: Record<Target['as'], Record<string, string>> = {
	anonymous: {},
	member: {},
	device: {}
};

test.beforeAll(async () => {
	const signIn = await send({
		method: 'POST',
		path: '/coordination/connexion',
		headers: { 'content-type': FORM_TYPE, origin: BASE },
		body: new URLSearchParams({
			email: DEMO_COORDINATOR.email,
			password: DEMO_COORDINATOR.password
		}).toString()
	});
	const session = setCookie(signIn, SESSION_COOKIE);
	if (!session) throw new Error(`sign-in: ${signIn.status}`);
	credentials.member = { cookie: `${SESSION_COOKIE}=${session}` };
	const issued = await send({
		method: 'POST',
		path: '/coordination?/issueCode',
		headers: {
			'content-type': FORM_TYPE,
			origin: BASE,
			cookie: credentials.member.cookie ?? '',
			accept: 'application/json',
			'x-sveltekit-action': 'true'
		},
		body: 'busId=fs-2023'
	});
	const code = /[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(issued.body)?.[0];
	if (!code) throw new Error(`no code issued: ${issued.body.slice(0, 200)}`);
	credentials.device = { authorization: `Bearer ${(await enrollRaw(BASE, code)).token}` };
});

function problemOf(target: Target, sent: RawRequest, response: RawResponse): string | null {
	const describe = () =>
		`${target.name}: ${sent.method} ${sent.path.slice(0, 120)} ${JSON.stringify(sent.headers)} -> ${response.status} ${response.body.slice(0, 120)}`;
	if (response.status >= 500) return `5xx ${describe()}`;
	if (response.status === 0) return `no answer ${describe()}`;
	const api = /^\/+(en\/)?api(\/|$)/i.test(sent.path);
	if (api && response.status >= 400 && sent.method !== 'HEAD') {
		let shaped = false;
		try {
			const body = JSON.parse(response.body) as { error?: { code?: unknown; message?: unknown } };
			shaped = typeof body.error?.code === 'string' && typeof body.error.message === 'string';
		} catch {
			// Not JSON: `shaped` stays false.
		}
		const json = String(response.headers['content-type'] ?? '').startsWith('application/json');
		if (!json || !shaped) return `not JSON in the error shape ${describe()}`;
	}
	return null;
}

for (const target of TARGETS) {
	test(`${target.name}: ${RUNS} generated bad requests, never a 5xx, nothing written`, async () => {
		test.setTimeout(120_000);
		const cases = fc.sample(target.requests, { numRuns: RUNS, seed: SEED });
		const before = snapshot();
		const problems: string[] = [];
		const statuses = new Map<number, number>();
		for (const sent of cases) {
			// The caller's credentials win over generated ones where the endpoint needs them to be reached.
			const headers = { ...sent.headers, ...credentials[target.as] };
			const response = await send({ ...sent, headers });
			statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
			const problem = problemOf(target, { ...sent, headers }, response);
			if (problem) problems.push(problem);
		}
		expect(problems, problems.slice(0, 10).join('\n')).toEqual([]);
		expect(snapshot(), `the database changed under ${target.name}`).toEqual(before);
		// The batch did reach the code: some answers come from it, not all from the door.
		expect(statuses.get(target.reaches) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(0);
	});
}
