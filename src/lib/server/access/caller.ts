/**
 * Who is calling: the one answer the hook puts in `event.locals.caller` for every request, whatever its path.
 * Nothing here decides what a caller may do (policy.ts does); it only says who they are.
 *
 * - `anonymous`: no credential, or one that does not open anything (unknown, malformed, expired);
 * - `device`: an enrolled tablet (bearer token); `revoked` once the coordination has removed it;
 * - `member`: a signed-in person (session cookie) with their roles.
 */
import type { Role } from '$lib/domain/member';

export interface AnonymousCaller {
	kind: 'anonymous';
}

export interface DeviceCaller {
	kind: 'device';
	deviceId: string;
	busId: string;
	/** The coordination removed this tablet: it is told so, never served. */
	revoked: boolean;
}

export interface MemberCaller {
	kind: 'member';
	id: string;
	email: string;
	name: string;
	roles: readonly Role[];
}

export type Caller = AnonymousCaller | DeviceCaller | MemberCaller;

export const ANONYMOUS: AnonymousCaller = Object.freeze({ kind: 'anonymous' });

/** For logs and test names: the kind and roles, never an identity. */
export function describeCaller(caller: Caller): string {
	if (caller.kind === 'member') return `member(${caller.roles.join('+')})`;
	if (caller.kind === 'device') return caller.revoked ? 'device(revoked)' : 'device';
	return 'anonymous';
}
