/**
 * The route door, read from the code: every route in src/routes has a rule, every rule names a route that
 * exists, and every load, form action and endpoint is wrapped with a permission that admits no one its route's
 * rule refuses. A new route or export without a rule fails here (and in the HTTP door test,
 * tests/e2e/doors.spec.ts, which tries every route as every caller).
 */
import { describe, expect, it } from 'vitest';
import { ROLES } from '$lib/domain/member';
import type { Caller } from './caller';
import { ruleOf } from './guard';
import { decide, PERMISSIONS, type Permission } from './policy';
import { ROUTE_RULES } from './routes';

const FILES = Object.keys(import.meta.glob('/src/routes/**/+{page,server,layout}*.{ts,svelte}'));
const SERVER_MODULES = import.meta.glob<Record<string, unknown>>(
	'/src/routes/**/+{page.server,layout.server,server}.ts',
	{ eager: true }
);

/** `/src/routes/(public)/arrets/[id]/+page.svelte` -> `/(public)/arrets/[id]`. */
function routeIdOf(file: string): string {
	const dir = file.replace(/^\/src\/routes/, '').replace(/\/\+[^/]+$/, '');
	return dir === '' ? '/' : dir;
}

/** Routes: folders with a page (a component, or only a load as a redirect has) or an endpoint (not a layout alone). */
const ROUTES = [
	...new Set(
		FILES.filter((file) => /\/\+(page\.svelte|page\.ts|page\.server\.ts|server\.ts)$/.test(file)).map(
			routeIdOf
		)
	)
].sort();

/** One caller of each kind and role: what the policy is tried against. */
const CALLERS: Caller[] = [
	{ kind: 'anonymous' },
	{ kind: 'device', deviceId: 'dev-a', busId: 'fs-1', revoked: false },
	{ kind: 'device', deviceId: 'dev-b', busId: 'fs-1', revoked: true },
	...ROLES.map((role): Caller => ({
		kind: 'member',
		id: role,
		email: `${role}@x.fr`,
		name: role,
		roles: [role]
	}))
];

const admitted = (permission: Permission) =>
	CALLERS.filter((caller) => decide(caller, permission).allowed).map((caller) => JSON.stringify(caller));

const HTTP_EXPORTS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'fallback'];

/** Every function a route module hands SvelteKit, by name (`load`, `actions.move`, `POST`...). */
function handlersOf(module: Record<string, unknown>): [string, unknown][] {
	const found: [string, unknown][] = [];
	for (const [name, value] of Object.entries(module)) {
		if (name === 'actions' && typeof value === 'object' && value !== null) {
			for (const [action, handler] of Object.entries(value)) found.push([`actions.${action}`, handler]);
		} else if (name === 'load' || HTTP_EXPORTS.includes(name) || typeof value === 'function') {
			found.push([name, value]);
		}
	}
	return found;
}

describe('the route table', () => {
	it('finds the routes of the app (the glob is not empty)', () => {
		expect(ROUTES).toContain('/coordination/orientations');
		expect(ROUTES).toContain('/api/sync/push');
		expect(ROUTES.length).toBeGreaterThan(20);
	});

	it('has a rule for every route, and no rule for a route that does not exist', () => {
		expect(ROUTES.filter((route) => !(route in ROUTE_RULES))).toEqual([]);
		expect(Object.keys(ROUTE_RULES).filter((route) => !ROUTES.includes(route))).toEqual([]);
	});

	it('names only permissions of the policy', () => {
		for (const rule of Object.values(ROUTE_RULES)) expect(PERMISSIONS).toContain(rule);
	});
});

describe('every load, form action and endpoint', () => {
	const modules = Object.entries(SERVER_MODULES);

	it('is read from every server module (the glob is not empty)', () => {
		expect(modules.length).toBeGreaterThan(15);
	});

	it.each(modules)('of %s is guarded', (file, module) => {
		const handlers = handlersOf(module);
		expect(handlers.length).toBeGreaterThan(0);
		for (const [name, handler] of handlers) {
			expect(ruleOf(handler), `${name} of ${file} has no guard`).toBeDefined();
		}
	});

	it.each(modules.filter(([file]) => !file.endsWith('/+layout.server.ts')))(
		'of %s admits no one its route refuses',
		(file, module) => {
			const route = routeIdOf(file) as keyof typeof ROUTE_RULES;
			const routeRule = ROUTE_RULES[route];
			if (!routeRule) throw new Error(`${route} has no rule`);
			const allowedByRoute = admitted(routeRule);
			for (const [name, handler] of handlersOf(module)) {
				const rule = ruleOf(handler);
				if (!rule) throw new Error(`${name} of ${file} has no guard`);
				const extra = admitted(rule).filter((caller) => !allowedByRoute.includes(caller));
				expect(extra, `${name} (${rule}) vs ${route} (${routeRule})`).toEqual([]);
			}
		}
	);
});
