/**
 * Tells who is calling from the request's credentials, for the hook (hooks.server.ts). A bearer token speaks
 * for a tablet; otherwise the session cookie for a member; otherwise nobody. A credential that is present but
 * opens nothing makes the caller anonymous: it never falls back to another one (a wrong token with a valid
 * cookie is not a member: the crew app's requests carry both when a member is signed in on the tablet).
 */
import { readSession } from '../auth/members';
import type { Store } from '../store/store';
import { findDevice } from '../sync/auth';
import { ANONYMOUS, type Caller } from './caller';

export interface Credentials {
	/** The `Authorization` header, as sent. */
	authorization: string | null;
	/** The session cookie's token, as sent. */
	sessionToken: string | undefined;
}

export interface Identified {
	caller: Caller;
	/** A session cookie was sent that opens no session (expired, signed out, forged): it should be deleted. */
	staleSession: boolean;
}

export async function identifyCaller(
	store: Store,
	{ authorization, sessionToken }: Credentials,
	now: () => Date = () => new Date()
): Promise<Identified> {
	if (authorization !== null) {
		const device = await findDevice(store, authorization);
		const caller: Caller = device
			? { kind: 'device', deviceId: device.id, busId: device.busId, revoked: device.revokedAt !== null }
			: ANONYMOUS;
		return { caller, staleSession: false };
	}
	if (!sessionToken) return { caller: ANONYMOUS, staleSession: false };
	const session = await readSession(store, sessionToken, now);
	if (!session) return { caller: ANONYMOUS, staleSession: true };
	const { id, email, name, roles } = session.member;
	return { caller: { kind: 'member', id, email, name, roles }, staleSession: false };
}
