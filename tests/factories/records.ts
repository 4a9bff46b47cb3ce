/**
 * What a tablet pushes in the sync handlers' tests: visits and referrals of a bus (A or B of
 * tests/factories/sync.ts), numbered mutations and the body of a push.
 */
import { randomUUID } from 'node:crypto';
import { makeReferral, TO_REFERENT } from './referral';
import { makeVisit } from './visit';

/** A visit recorded on `serviceDayId` by a tablet of `busId`. */
export function visit(busId: string, serviceDayId: string, id: string = randomUUID()) {
	return makeVisit({ id, busId, serviceDayId });
}

/** A referral to the France services referent made during visit `visitId`. */
export function referral(busId: string, visitId: string, id: string = randomUUID()) {
	return makeReferral({ id, visitId, busId, ...TO_REFERENT });
}

export function mutation(mutationId: number, kind: string, entityId: string, payload: unknown) {
	return { mutationId, kind, entityId, schemaVersion: 1, createdAt: '2026-03-10T08:15:00.000Z', payload };
}

/** A push body of protocol 1, as tablets on an older app send it (the server's tests mostly speak it). */
export const pushBody = (mutations: unknown[]) => ({ protocol: 1, mutations });
