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
