import { describe, expect, it } from 'vitest';
import type { Caller } from './caller';
import { decide, PERMISSIONS, type Permission } from './policy';
import { busScope, filterInScope, isInScope } from './scope';

const anonymous: Caller = { kind: 'anonymous' };
const tablet: Caller = { kind: 'device', deviceId: 'dev-a', busId: 'fs-1', revoked: false };
const revokedDevice: Caller = { kind: 'device', deviceId: 'dev-b', busId: 'fs-1', revoked: true };
const member = (...roles: ('coordinateur' | 'national' | 'admin' | 'partenaire')[]): Caller => ({
	kind: 'member',
	id: roles.join('+'),
	email: 'x@exemple.fr',
	name: 'X',
	roles
});

/**
 * The expected answer of each permission for each caller, written out by hand (not derived from the policy):
 * `ok`, `401` (nobody identified), `403` (without the right), `removed` (a removed tablet).
 */
const EXPECTED: Record<Permission, [string, string, string, string, string, string, string]> = {
	//                      anonymous tablet   removed    coord.   national admin  partenaire
	'public.read': ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
	'crew.app': ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
	'session.read': ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
	'member.signIn': ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
	'member.signOut': ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
	'sync.enroll': ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
	'sync.push': ['401', 'ok', 'removed', '403', '403', '403', '403'],
	'sync.pull': ['401', 'ok', 'removed', '403', '403', '403', '403'],
	'coordination.read': ['401', '401', '401', 'ok', 'ok', '403', '403'],
	'enrollmentCode.issue': ['401', '401', '401', 'ok', '403', '403', '403'],
	'device.revoke': ['401', '401', '401', 'ok', '403', '403', '403'],
	'referral.read': ['401', '401', '401', 'ok', 'ok', '403', '403'],
	'referral.move': ['401', '401', '401', 'ok', '403', '403', '403']
};

const CALLERS: [string, Caller][] = [
	['anonymous', anonymous],
	['tablet', tablet],
	['removed tablet', revokedDevice],
	['coordinateur', member('coordinateur')],
	['national', member('national')],
	['admin', member('admin')],
	['partenaire', member('partenaire')]
];

const word = (caller: Caller, permission: Permission): string => {
	const decision = decide(caller, permission);
	if (decision.allowed) return 'ok';
	return { unauthenticated: '401', forbidden: '403', device_revoked: 'removed' }[decision.refusal];
};

describe('the access policy', () => {
	it('has an expected answer written for every permission', () => {
		expect(Object.keys(EXPECTED).sort()).toEqual([...PERMISSIONS].sort());
	});

	it.each(PERMISSIONS)('answers %s as written for every kind of caller', (permission) => {
		expect(CALLERS.map(([, caller]) => word(caller, permission))).toEqual(EXPECTED[permission]);
	});

	it('admits a member holding any one of the roles a permission lists', () => {
		expect(decide(member('admin', 'national'), 'referral.read')).toEqual({ allowed: true });
		expect(decide(member('admin', 'national'), 'referral.move')).toEqual({
			allowed: false,
			refusal: 'forbidden'
		});
	});
});

describe('the bus scope', () => {
	const rows = [{ busId: 'fs-1' }, { busId: 'fs-2' }];

	it('is its own bus for a tablet, nothing once removed, nothing for nobody', () => {
		expect(filterInScope(busScope(tablet), rows)).toEqual([{ busId: 'fs-1' }]);
		expect(filterInScope(busScope(revokedDevice), rows)).toEqual([]);
		expect(filterInScope(busScope(anonymous), rows)).toEqual([]);
	});

	it('is the network for a coordinator and a national reader, nothing for the other roles', () => {
		expect(isInScope(busScope(member('coordinateur')), 'fs-2')).toBe(true);
		expect(isInScope(busScope(member('national')), 'fs-2')).toBe(true);
		expect(isInScope(busScope(member('admin')), 'fs-2')).toBe(false);
		expect(isInScope(busScope(member('partenaire')), 'fs-2')).toBe(false);
	});
});
