/**
 * The door test: every route and form action of src/routes (read from the folder, so a new route is tried the
 * day it exists), under every spelling an attacker tries (percent-encoded letters, double slashes, a trailing
 * slash, upper case, `/en/`, dot segments, `__data.json`, `?/action`), as every kind of caller (anonymous, an
 * enrolled tablet, a removed tablet, a coordinator, a national reader). Each answer is checked against the
 * route's rule (src/lib/server/access): a refused caller gets the refusal and not one byte of the protected
 * data, a refused form action changes nothing in the server's database, and no answer is a 5xx.
 *
 * Requests go out exactly as written (support/raw-http.ts), as `curl --path-as-is` sends them.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { communeSlug } from '../../src/lib/domain/commune-slug';
import type { Caller } from '../../src/lib/server/access/caller';
import { decide, type Permission } from '../../src/lib/server/access/policy';
import { ROUTE_RULES } from '../../src/lib/server/access/routes';
import { DEMO_COORDINATOR } from './support/coordination';
import {
	enrollRaw,
	inBatches,
	rawRequest,
	setCookie,
	type RawEnrollment,
	type RawRequest,
	type RawResponse
} from './support/raw-http';

const SERVER_DB = 'test-results/e2e-data/escale.sqlite';
const BUS_ID = 'fs-2023';
const SESSION_COOKIE = 'escale_coordination';

// ---- The routes, read from src/routes ---------------------------------------------------------------------

interface RouteFile {
	/** `/(public)/arrets/[id]`, as SvelteKit names it. */
	id: string;
	page: boolean;
	/** Methods an endpoint exports (`fallback` answers any). */
	methods: string[];
	/** Form actions of the page (`default` for an unnamed one). */
	actions: string[];
}

function readRoutes(dir = 'src/routes', id = ''): RouteFile[] {
	const entries = readdirSync(dir, { withFileTypes: true });
	const has = (name: string) => entries.some((entry) => entry.isFile() && entry.name === name);
	const found: RouteFile[] = [];
	const server = join(dir, '+server.ts');
	const pageServer = join(dir, '+page.server.ts');
	const methods = has('+server.ts')
		? [...readFileSync(server, 'utf8').matchAll(/export const (GET|POST|PUT|PATCH|DELETE|fallback)\b/g)].map(
				(match) => match[1] ?? ''
			)
		: [];
	const actions = existsSync(pageServer) ? actionNames(readFileSync(pageServer, 'utf8')) : [];
	// A page is a component or only a load (a redirect, like the check-in's old address).
	const page = has('+page.svelte') || has('+page.server.ts') || has('+page.ts');
	if (page || has('+server.ts')) {
		found.push({ id: id || '/', page, methods, actions });
	}
	for (const entry of entries) {
		if (entry.isDirectory()) found.push(...readRoutes(join(dir, entry.name), `${id}/${entry.name}`));
	}
	return found;
}

/** The keys of `export const actions = { ... }`: one tab deep, each a guarded function. */
function actionNames(source: string): string[] {
	const start = source.indexOf('export const actions');
	if (start < 0) return [];
	return [...source.slice(start).matchAll(/^\t(\w+): guard\(/gm)].map((match) => match[1] ?? '');
}

const ROUTES = readRoutes();

// ---- Callers ----------------------------------------------------------------------------------------------

interface TestCaller {
	name: string;
	/** What the policy knows of it (ids do not matter to the rules). */
	as: Caller;
	headers: Record<string, string>;
}

const BASE = `http://localhost:${Number(process.env.ESCALE_E2E_PORT ?? 4173)}`;
const ORIGIN = { origin: BASE };
/** A plain HTML form's submission, as a browser without JavaScript sends it. */
const FORM = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...ORIGIN };

function send(request: RawRequest): Promise<RawResponse> {
	return rawRequest(BASE, request);
}

async function signInAs(email: string): Promise<string> {
	const body = new URLSearchParams({ email, password: DEMO_COORDINATOR.password }).toString();
	const response = await send({ method: 'POST', path: '/coordination/connexion', headers: FORM, body });
	const session = setCookie(response, SESSION_COOKIE);
	if (response.status !== 303 || !session) throw new Error(`sign-in of ${email}: ${response.status}`);
	return session;
}

/** A form action sent as SvelteKit's enhanced forms send it: the answer is JSON (`{ type, status, data }`). */
async function enhancedAction(path: string, cookie: string, fields: Record<string, string>) {
	const response = await send({
		method: 'POST',
		path,
		headers: { ...FORM, cookie, accept: 'application/json', 'x-sveltekit-action': 'true' },
		body: new URLSearchParams(fields).toString()
	});
	return response.body;
}

async function enrollDevice(coordinator: string): Promise<RawEnrollment> {
	const answer = await enhancedAction('/coordination?/issueCode', coordinator, { busId: BUS_ID });
	const code = /[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(answer)?.[0];
	if (!code) throw new Error(`no code issued: ${answer.slice(0, 200)}`);
	return enrollRaw(BASE, code);
}

/** A visit and a referral (with a consented phone number) pushed by the tablet: what a refused move must not touch. */
async function pushReferral(token: string, serviceDayId: string): Promise<string> {
	const visitId = randomUUID();
	const referralId = randomUUID();
	const at = new Date().toISOString();
	const mutation = (mutationId: number, kind: string, entityId: string, payload: unknown) => ({
		mutationId,
		kind,
		entityId,
		schemaVersion: 1,
		createdAt: at,
		payload
	});
	const referenceVersion = '2026-11';
	const body = {
		protocol: 1,
		mutations: [
			mutation(1, 'visit.create', visitId, {
				id: visitId,
				busId: BUS_ID,
				serviceDayId,
				recordedAt: at,
				channel: 'walkIn',
				referenceVersion,
				requests: [{ partner: 'CAF', theme: 'family', outcome: 'referred' }]
			}),
			mutation(2, 'referral.create', referralId, {
				id: referralId,
				visitId,
				busId: BUS_ID,
				referenceVersion,
				partner: 'CAF',
				target: 'franceServicesReferent',
				mode: 'partnerPlatform',
				reason: 'needsFileAccess',
				dueDate: at.slice(0, 10),
				status: 'open',
				recordedAt: at,
				history: [{ status: 'open', at }],
				consent: { given: true, recordedAt: at },
				contact: { phone: '0612345678', callbackSlot: 'morning' }
			})
		]
	};
	const response = await send({
		method: 'POST',
		path: '/api/sync/push',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body: JSON.stringify(body)
	});
	const results = (JSON.parse(response.body) as { results?: { status: string }[] }).results ?? [];
	if (response.status !== 200 || results.some((result) => result.status !== 'applied'))
		throw new Error(`push: ${response.status} ${response.body.slice(0, 400)}`);
	return referralId;
}

// ---- Spellings --------------------------------------------------------------------------------------------

/** `coordination` -> `%63oordination`: the same path once decoded. */
const encodeFirst = (segment: string) =>
	/^[a-z]/i.test(segment) ? `%${segment.charCodeAt(0).toString(16)}${segment.slice(1)}` : segment;

function spellings(path: string): [string, string][] {
	const segments = path.split('/').filter(Boolean);
	const encoded = `/${segments.map(encodeFirst).join('/')}`;
	const last = path.lastIndexOf('/');
	const variants: [string, string][] = [
		['as written', path],
		['percent-encoded letters', encoded],
		['English', `/en${path}`],
		['English, encoded', `/%65n${encoded}`],
		['double leading slash', `/${path}`],
		['trailing slash', `${path}/`],
		['upper case', `/${segments.map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join('/')}`],
		['dot segment', `/x/..${path}`],
		['encoded dot segment', `/x/%2e%2e${path}`]
	];
	if (last > 0) {
		variants.push(['double inner slash', `${path.slice(0, last)}//${path.slice(last + 1)}`]);
		variants.push(['encoded inner slash', `${path.slice(0, last)}%2F${path.slice(last + 1)}`]);
	}
	return variants;
}

// ---- What is expected -------------------------------------------------------------------------------------

/** What a form action needs, and a harmless body to send it (a refusal must change nothing; a run, nothing either). */
interface ActionCase {
	permission: Permission;
	/** Sent by every caller; refused callers must not get its effect. */
	body: (state: State) => Record<string, string>;
	/** Sent by allowed callers: invalid on purpose, so the action runs and refuses the input (a 4xx failure). */
	invalid: Record<string, string>;
}

interface State {
	deviceId: string;
	referralId: string;
}

const ACTIONS: Record<string, ActionCase> = {
	'/coordination?/issueCode': {
		permission: 'enrollmentCode.issue',
		body: () => ({ busId: BUS_ID }),
		invalid: { busId: 'fs-0' }
	},
	'/coordination?/revoke': {
		permission: 'device.revoke',
		body: (state) => ({ deviceId: state.deviceId, confirm: 'on' }),
		invalid: { deviceId: 'dev-aaaaaaaa', confirm: 'non' }
	},
	'/coordination/orientations?/move': {
		permission: 'referral.move',
		body: (state) => ({ id: state.referralId, to: 'closed' }),
		invalid: { id: 'pas-un-uuid', to: 'closed' }
	},
	'/?/around': {
		permission: 'public.read',
		body: () => ({ latitude: 'nord', longitude: '2' }),
		invalid: { latitude: '99', longitude: '2' }
	},
	'/coordination/connexion?/default': {
		permission: 'member.signIn',
		// Never a wrong password: the sign-in brake would then slow the other tests' sign-ins.
		body: () => ({ email: 'pas-une-adresse' }),
		invalid: { email: '' }
	}
};

/** The URL path of a route id with real values for its parameters. */
function concretePath(id: string, values: { stopId: string; communeSlug: string }): string {
	return (
		id
			.replace(/\/\([^)]+\)/g, '')
			.replace('[id]', values.stopId)
			.replace('[stopId]', values.stopId)
			.replace('[slug]', values.communeSlug)
			.replace('[departement]', '36')
			.replace('[...rest]', 'inconnu/adresse') || '/'
	);
}

/** The member pages as the server routes them (decoded, `/en/` or not). */
const MEMBER_PAGE = /^\/(en\/)?coordination(\/|$|\?)/;

function safeDecode(path: string): string {
	try {
		return decodeURIComponent(path);
	} catch {
		return path;
	}
}

/** The only permissions under which an answer may carry a tablet's or a referral's id. */
const MAY_SHOW_RECORDS = new Set<Permission>([
	'coordination.read',
	'referral.read',
	'enrollmentCode.issue',
	'device.revoke',
	'referral.move'
]);

function bodyOf(response: RawResponse): string {
	return response.body;
}

const isApiPath = (path: string) =>
	/^\/+(en\/)?api(\/|$)/i.test(decodeURIComponent(path.split('?')[0] ?? ''));

// ---- The test ---------------------------------------------------------------------------------------------

test('every route and form action, in every spelling, answers each caller as its rule says', async () => {
	test.setTimeout(240_000);
	const coordinator = await signInAs(DEMO_COORDINATOR.email);
	const national = await signInAs('national@demo.escale.fr');
	const tablet = await enrollDevice(`${SESSION_COOKIE}=${coordinator}`);
	const revoked = await enrollDevice(`${SESSION_COOKIE}=${coordinator}`);
	const revokeAnswer = await enhancedAction('/coordination?/revoke', `${SESSION_COOKIE}=${coordinator}`, {
		deviceId: revoked.deviceId,
		confirm: 'on'
	});
	expect(revokeAnswer).toContain('"type":"success"');
	const dayId = tablet.serviceDayIds[0];
	if (!dayId) throw new Error('the tablet has no service day');
	const referralId = await pushReferral(tablet.token, dayId);
	const state: State = { deviceId: tablet.deviceId, referralId };

	const db = new Database(SERVER_DB, { readonly: true });
	const stop = db.prepare('SELECT id, commune, insee FROM stops WHERE bus_id = ? LIMIT 1').get(BUS_ID) as {
		id: string;
		commune: string;
		insee: string;
	};
	const values = { stopId: stop.id, communeSlug: communeSlug(stop.commune, stop.insee) };
	const effects = () => ({
		codes: (db.prepare('SELECT COUNT(*) AS n FROM enrollment_codes').get() as { n: number }).n,
		deviceRemoved: (
			db.prepare('SELECT revoked_at FROM devices WHERE id = ?').get(tablet.deviceId) as {
				revoked_at: string | null;
			}
		).revoked_at,
		referral: db.prepare('SELECT status, payload FROM referrals WHERE id = ?').get(referralId) as {
			status: string;
			payload: string;
		}
	});
	const before = effects();
	expect(before.referral.status).toBe('open');
	expect(before.referral.payload).toContain('0612345678');

	const callers: TestCaller[] = [
		{ name: 'anonymous', as: { kind: 'anonymous' }, headers: {} },
		{
			name: 'tablet',
			as: { kind: 'device', deviceId: tablet.deviceId, busId: BUS_ID, revoked: false },
			headers: { authorization: `Bearer ${tablet.token}` }
		},
		{
			name: 'removed tablet',
			as: { kind: 'device', deviceId: revoked.deviceId, busId: BUS_ID, revoked: true },
			headers: { authorization: `Bearer ${revoked.token}` }
		},
		{
			name: 'coordinateur',
			as: { kind: 'member', id: 'c', email: 'c', name: 'c', roles: ['coordinateur'] },
			headers: { cookie: `${SESSION_COOKIE}=${coordinator}` }
		},
		{
			name: 'national',
			as: { kind: 'member', id: 'n', email: 'n', name: 'n', roles: ['national'] },
			headers: { cookie: `${SESSION_COOKIE}=${national}` }
		}
	];

	// What only an admitted caller may read: the tablet's id (coordination overview) and the referral's id
	// (referrals page). Checked below to appear where allowed, so their absence elsewhere means something.
	const secrets = [tablet.deviceId, referralId];
	const problems: string[] = [];
	const note = (what: string, response: RawResponse, why: string) =>
		problems.push(
			`${what} -> ${response.status}: ${why} ${bodyOf(response).slice(0, 160).replace(/\s+/g, ' ')}`
		);

	/** Checks one answer; `permission` is the rule of what was asked (the route's, or the action's). */
	function judge(
		what: string,
		path: string,
		caller: TestCaller,
		permission: Permission,
		response: RawResponse
	) {
		const body = bodyOf(response);
		const allowed = decide(caller.as, permission).allowed;
		if (response.status >= 500) note(what, response, 'a 5xx');
		if (isApiPath(path) && response.status >= 400) {
			const type = String(response.headers['content-type'] ?? '');
			let code: unknown;
			try {
				code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
			} catch {
				code = undefined;
			}
			if (!type.startsWith('application/json') || typeof code !== 'string')
				note(what, response, 'an /api error that is not JSON in the error shape');
		}
		// A member's pages and their data are never kept by a cache, whatever the spelling that reached them
		// (a refusal carries nothing to keep).
		if (allowed && MEMBER_PAGE.test(safeDecode(path)) && response.status === 200) {
			if (!/no-store/.test(String(response.headers['cache-control'] ?? '')))
				note(what, response, 'a member page without Cache-Control: no-store');
		}
		const leaked = secrets.filter((secret) => body.includes(secret));
		if (!allowed && leaked.length > 0) note(what, response, `refused caller read ${leaked.join(', ')}`);
		if (!MAY_SHOW_RECORDS.has(permission) && leaked.length > 0)
			note(what, response, 'an answer outside coordination carries a record id');
		if (!allowed && response.status >= 200 && response.status < 300) {
			// A data request or an enhanced action says "redirect" or "error" in a 200 JSON body; nothing else.
			const type = /^\s*\{"type":"(\w+)"/.exec(body)?.[1];
			if (type !== 'redirect' && type !== 'error') note(what, response, 'refused caller got a 2xx answer');
		}
	}

	interface Asked {
		what: string;
		path: string;
		caller: TestCaller;
		permission: Permission;
		request: RawRequest;
		canonical: boolean;
	}
	const asked: Asked[] = [];
	for (const route of ROUTES) {
		const rule = ROUTE_RULES[route.id as keyof typeof ROUTE_RULES];
		expect(rule, `route ${route.id} has a rule`).toBeDefined();
		if (!rule) continue;
		const path = concretePath(route.id, values);
		for (const [spelling, spelled] of spellings(path)) {
			for (const caller of callers) {
				const requests: [string, RawRequest, Permission][] = [];
				if (route.page) {
					requests.push([`GET ${spelled}`, { path: spelled }, rule]);
					const data = `${spelled.replace(/\/$/, '')}/__data.json`;
					requests.push([`GET ${data}`, { path: data }, rule]);
				}
				// Sign-out ends the session it is sent with: members try it in their own test below, not here,
				// where their sessions must live until the end.
				const signsOut = route.id === '/coordination/deconnexion' && caller.as.kind === 'member';
				for (const method of signsOut ? [] : route.methods) {
					const verb = method === 'fallback' ? 'GET' : method;
					const json = verb === 'POST' && route.id.startsWith('/api/');
					const headers: Record<string, string> = json
						? { 'content-type': 'application/json' }
						: verb === 'POST'
							? FORM
							: {};
					const body = json ? '{}' : verb === 'POST' ? '' : undefined;
					requests.push([`${verb} ${spelled}`, { method: verb, path: spelled, headers, body }, rule]);
				}
				for (const action of route.actions) {
					const key = `${path}?/${action}`;
					const actionCase = ACTIONS[key];
					expect(actionCase, `form action ${key} has a case in this test`).toBeDefined();
					if (!actionCase) continue;
					const allowed = decide(caller.as, actionCase.permission).allowed;
					const fields = allowed ? actionCase.invalid : actionCase.body(state);
					// A page's only, unnamed action is posted to the page itself.
					const target = action === 'default' ? spelled : `${spelled}?/${action}`;
					for (const enhanced of [false, true]) {
						const headers = enhanced
							? { ...FORM, accept: 'application/json', 'x-sveltekit-action': 'true' }
							: FORM;
						const body = new URLSearchParams(fields).toString();
						requests.push([
							`POST ${target}${enhanced ? ' (enhanced)' : ''}`,
							{ method: 'POST', path: target, headers, body },
							actionCase.permission
						]);
					}
				}
				for (const [label, request, permission] of requests) {
					asked.push({
						what: `${caller.name}: ${label} [${spelling}]`,
						path: request.path,
						caller,
						permission,
						request: { ...request, headers: { ...request.headers, ...caller.headers } },
						canonical: spelling === 'as written'
					});
				}
			}
		}
	}
	expect(asked.length).toBeGreaterThan(1000);
	const actions = ROUTES.reduce((sum, route) => sum + route.actions.length, 0);
	console.log(
		`Door test: ${asked.length} requests (${ROUTES.length} routes, ${actions} form actions, ${spellings('/a/b').length} spellings, ${callers.length} callers)`
	);
	const answers = await inBatches(
		asked.map((item) => async () => {
			const response = await send(item.request);
			judge(item.what, item.path, item.caller, item.permission, response);
			return response;
		}),
		6
	);

	// As written, the answer is the rule's: admitted callers get in, refused ones get the refusal.
	asked.forEach(({ what, path, caller, permission, canonical }, index) => {
		const answer = answers[index];
		if (!canonical || !answer) return;
		const decision = decide(caller.as, permission);
		if (decision.allowed) {
			// Actions and the API's POSTs get an invalid body on purpose; /api/[...rest] is a 404 by design.
			const invalidOnPurpose = path.includes('?/') || what.includes(': POST') || path.includes('inconnu');
			if (answer.status >= 400 && !invalidOnPurpose) note(what, answer, 'admitted caller refused');
			return;
		}
		if (isApiPath(path)) {
			const expected = decision.refusal === 'unauthenticated' ? 401 : 403;
			if (answer.status !== expected) note(what, answer, `expected ${expected}`);
		} else if (decision.refusal === 'forbidden') {
			if (answer.status !== 403 && !/"type":"error"/.test(answer.body)) note(what, answer, 'expected 403');
		} else {
			const location = String(answer.headers.location ?? '');
			const toSignIn =
				/\/coordination\/connexion/.test(location) || /"type":"redirect".*connexion/.test(answer.body);
			if (!toSignIn) note(what, answer, 'expected the sign-in page');
		}
	});

	// The protected data does show where it is allowed (so its absence above is meaningful).
	const overview = await send({ path: '/coordination/__data.json', headers: callers[3]?.headers ?? {} });
	expect(overview.body).toContain(tablet.deviceId);
	const referrals = await send({ path: '/coordination/orientations', headers: callers[4]?.headers ?? {} });
	expect(referrals.body).toContain(referralId);

	expect(problems, problems.slice(0, 40).join('\n')).toEqual([]);
	// No refused form action had an effect: no code issued, the tablet still in service, the referral open with its contact.
	expect(effects()).toEqual(before);
	db.close();
});

test('sign-out ends only the session it is sent with, and anyone may call it', async () => {
	const mine = await signInAs(DEMO_COORDINATOR.email);
	const other = await signInAs(DEMO_COORDINATOR.email);
	for (const path of [
		'/coordination/deconnexion',
		'/%63oordination/deconnexion',
		'/en/coordination/deconnexion'
	]) {
		const anonymous = await send({ method: 'POST', path, headers: FORM, body: '' });
		expect(anonymous.status, path).toBe(303);
	}
	const out = await send({
		method: 'POST',
		path: '/%63oordination/deconnexion',
		headers: { ...FORM, cookie: `${SESSION_COOKIE}=${mine}` },
		body: ''
	});
	expect(out.status).toBe(303);
	const afterMine = await send({ path: '/coordination', headers: { cookie: `${SESSION_COOKIE}=${mine}` } });
	expect(afterMine.status).toBe(303);
	const afterOther = await send({ path: '/coordination', headers: { cookie: `${SESSION_COOKIE}=${other}` } });
	expect(afterOther.status).toBe(200);
});

test('a form posted from another site is refused before it runs, in JSON on the API', async () => {
	const session = await signInAs(DEMO_COORDINATOR.email);
	const codes = () => {
		const db = new Database(SERVER_DB, { readonly: true });
		const n = (db.prepare('SELECT COUNT(*) AS n FROM enrollment_codes').get() as { n: number }).n;
		db.close();
		return n;
	};
	const before = codes();
	for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain']) {
		const page = await send({
			method: 'POST',
			path: '/coordination?/issueCode',
			headers: {
				'content-type': type,
				origin: 'https://ailleurs.example',
				cookie: `${SESSION_COOKIE}=${session}`
			},
			body: `busId=${BUS_ID}`
		});
		expect(page.status, type).toBe(403);
		const api = await send({
			method: 'POST',
			path: '/api/sync/enroll',
			headers: { 'content-type': type, origin: 'https://ailleurs.example' },
			body: 'code=ABCD-2345'
		});
		expect(api.status, type).toBe(403);
		expect(JSON.parse(api.body)).toEqual({ error: { code: 'cross_site', message: expect.any(String) } });
	}
	expect(codes()).toBe(before);
});

test('every /api refusal made before a handler runs is JSON in the error shape', async () => {
	const huge = 'x'.repeat(20_000);
	const cases: [string, RawRequest, number, string][] = [
		['a method the endpoint lacks', { method: 'PUT', path: '/api/health' }, 405, 'method_not_allowed'],
		['an unknown address', { path: '/api/nothing/here' }, 404, 'not_found'],
		['an unknown address in capitals', { path: '/API/Sync/Push' }, 404, 'not_found'],
		[
			'a form from another site',
			{
				method: 'POST',
				path: '/api/sync/enroll',
				headers: { 'content-type': 'text/plain', origin: 'https://ailleurs.example' },
				body: 'x'
			},
			403,
			'cross_site'
		],
		[
			'a body announced larger than the server takes',
			{
				method: 'POST',
				path: '/api/sync/push',
				headers: { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) }
			},
			413,
			'payload_too_large'
		],
		['headers too large', { path: '/api/health', headers: { 'x-padding': huge } }, 431, 'header_too_large'],
		[
			'no credentials on a tablet endpoint',
			{ method: 'POST', path: '/api/sync/pull', body: '{}' },
			401,
			'unauthenticated'
		]
	];
	for (const [label, request, status, code] of cases) {
		const response = await send(request);
		expect(response.status, label).toBe(status);
		expect(String(response.headers['content-type']), label).toMatch(/^application\/json/);
		expect(JSON.parse(response.body), label).toEqual({ error: { code, message: expect.any(String) } });
	}
	const allow = await send({ method: 'DELETE', path: '/api/open/stops.json' });
	expect(allow.headers.allow).toBe('GET, HEAD');
});
