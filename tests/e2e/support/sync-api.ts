import type { APIRequestContext } from '@playwright/test';

/** One mutation of a push, as a tablet numbers and sends it. */
export interface PushedMutation {
	mutationId: number;
	kind: string;
	entityId: string;
	schemaVersion: 1;
	createdAt: string;
	payload: Record<string, unknown>;
}

/** Pushes `mutations` to the server with the device's token, as the tablet's sync does. */
export function pushOverApi(request: APIRequestContext, token: string, mutations: PushedMutation[]) {
	return request.post('/api/sync/push', {
		headers: { Authorization: `Bearer ${token}` },
		data: { protocol: 1, mutations }
	});
}

/** The creation of a walk-in visit with one CAF family request, recorded (and sent) at `at`. */
export function visitCreate(
	mutationId: number,
	visit: {
		id: string;
		busId: string;
		serviceDayId: string;
		at: string;
		referenceVersion: string;
		outcome: 'resolved' | 'referred';
	}
): PushedMutation {
	return {
		mutationId,
		kind: 'visit.create',
		entityId: visit.id,
		schemaVersion: 1,
		createdAt: visit.at,
		payload: {
			id: visit.id,
			busId: visit.busId,
			serviceDayId: visit.serviceDayId,
			recordedAt: visit.at,
			channel: 'walkIn',
			referenceVersion: visit.referenceVersion,
			requests: [{ partner: 'CAF', theme: 'family', outcome: visit.outcome }]
		}
	};
}

/**
 * The creation of a CAF referral of visit `visitId`, open, recorded (and sent) at `at`: with the visitor's consent
 * and a phone number to call back (`contact`), or without (`contact` null: the crew gives the visitor the
 * partner's details instead).
 */
export function referralCreate(
	mutationId: number,
	referral: {
		id: string;
		visitId: string;
		busId: string;
		at: string;
		referenceVersion: string;
		dueDate: string;
		contact: { phone: string } | null;
	}
): PushedMutation {
	const { id, visitId, busId, at, referenceVersion, dueDate, contact } = referral;
	return {
		mutationId,
		kind: 'referral.create',
		entityId: id,
		schemaVersion: 1,
		createdAt: at,
		payload: {
			id,
			visitId,
			busId,
			recordedAt: at,
			referenceVersion,
			partner: 'CAF',
			target: 'franceServicesReferent',
			mode: 'partnerPlatform',
			reason: 'needsFileAccess',
			dueDate,
			status: 'open',
			history: [{ status: 'open', at }],
			consent: contact ? { given: true, recordedAt: at } : null,
			contact: contact ? { phone: contact.phone, callbackSlot: 'morning' } : null
		}
	};
}
