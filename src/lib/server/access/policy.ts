/**
 * Who may do what: one table from permission to the callers it admits. Pure: no store, no request. Every
 * `load`, form action and endpoint names one of these permissions through `guard` (guard.ts), and every route
 * has one in routes.ts for the hook; docs/security.md prints this table in words.
 *
 * Scope (which buses) is not here: a permission says what kind of act it is, `busScope` (scope.ts) says on
 * which buses the caller may do it, and services take that scope.
 */
import type { Role } from '$lib/domain/member';
import type { Caller, DeviceCaller, MemberCaller } from './caller';

export type Rule =
	| { who: 'anyone' }
	/** An enrolled tablet that has not been removed. */
	| { who: 'device' }
	/** A signed-in member holding one of these roles. */
	| { who: 'member'; roles: readonly Role[] };

const ANYONE = { who: 'anyone' } as const;
const DEVICE = { who: 'device' } as const;

export const POLICY = {
	/** Public pages, open data and calendars, the health probe: the schedule only, never a person. */
	'public.read': ANYONE,
	/** The crew screens' shell: their data lives on the tablet, the server sends none. */
	'crew.app': ANYONE,
	/** Who is signed in (the display name in a page's header), nothing else. */
	'session.read': ANYONE,
	/** The sign-in page and its form. */
	'member.signIn': ANYONE,
	/** Sign-out: ends the caller's own session, a no-op without one. */
	'member.signOut': ANYONE,
	/** Trading a one-time code for a device identity (the code is the credential). */
	'sync.enroll': ANYONE,
	'sync.push': DEVICE,
	'sync.pull': DEVICE,
	/** The coordination overview: buses, their circuits, tablets, refused records (never a payload). */
	'coordination.read': { who: 'member', roles: ['coordinateur', 'national'] },
	'enrollmentCode.issue': { who: 'member', roles: ['coordinateur'] },
	'device.revoke': { who: 'member', roles: ['coordinateur'] },
	/** The referrals' list (never a contact). */
	'referral.read': { who: 'member', roles: ['coordinateur', 'national'] },
	'referral.move': { who: 'member', roles: ['coordinateur'] }
} as const satisfies Record<string, Rule>;

export type Permission = keyof typeof POLICY;

export const PERMISSIONS = Object.keys(POLICY) as Permission[];

/** The caller a handler guarded by `P` receives: narrowed to a device or a member where the rule says so. */
export type CallerFor<P extends Permission> = (typeof POLICY)[P] extends { who: 'device' }
	? DeviceCaller
	: (typeof POLICY)[P] extends { who: 'member' }
		? MemberCaller
		: Caller;

/** Why a caller is refused: nobody identified, a removed tablet, or someone without the role. */
export type Refusal = 'unauthenticated' | 'device_revoked' | 'forbidden';

export type Decision = { allowed: true } | { allowed: false; refusal: Refusal };

const ALLOWED: Decision = { allowed: true };
const refuse = (refusal: Refusal): Decision => ({ allowed: false, refusal });

export function decide(caller: Caller, permission: Permission): Decision {
	const rule: Rule = POLICY[permission];
	switch (rule.who) {
		case 'anyone':
			return ALLOWED;
		case 'device':
			if (caller.kind !== 'device') return refuse(caller.kind === 'member' ? 'forbidden' : 'unauthenticated');
			return caller.revoked ? refuse('device_revoked') : ALLOWED;
		case 'member':
			// A tablet is not a person: to a member's door it is nobody.
			if (caller.kind !== 'member') return refuse('unauthenticated');
			return caller.roles.some((role) => rule.roles.includes(role)) ? ALLOWED : refuse('forbidden');
	}
}

export function isAllowed(caller: Caller, permission: Permission): boolean {
	return decide(caller, permission).allowed;
}
