/**
 * Pushes a backlog of visits through the real client transport (gzip bodies, strict answer checks) to the
 * real endpoint, in batches of the protocol's maximum, one request at a time, in the body the engine sends
 * (`toPushRequest`, protocol 2).
 */
import type { Visit } from '$lib/domain/visit';
import { createTransport, type FetchLike, type Transport } from '$lib/client/sync/transport';
import { LIMITS, PushResponseSchema, toPushRequest, type Mutation } from '$lib/sync';

export interface PushRun {
	ms: number;
	requests: number;
	/** Compressed request bodies, as sent. */
	bodyBytes: number;
	applied: number;
	duplicates: number;
	other: number;
}

/** A transport on Node's fetch that adds up the bytes of the bodies it sends. */
export function countingTransport(baseUrl: string): { transport: Transport; sentBytes: () => number } {
	let bytes = 0;
	const fetchCounting: FetchLike = (input, init) => {
		const body = init.body;
		if (body instanceof ArrayBuffer) bytes += body.byteLength;
		else if (typeof body === 'string') bytes += Buffer.byteLength(body);
		return fetch(input, init);
	};
	return {
		transport: createTransport({ fetch: fetchCounting, baseUrl }),
		sentBytes: () => bytes
	};
}

/** The outbox entries the tablet would hold for these visits, numbered from 1. */
export function visitMutations(visits: Visit[]): Mutation[] {
	return visits.map((visit, index) => ({
		mutationId: index + 1,
		kind: 'visit.create',
		entityId: visit.id,
		schemaVersion: 1,
		createdAt: visit.recordedAt,
		payload: visit
	}));
}

export async function pushAll(baseUrl: string, token: string, mutations: Mutation[]): Promise<PushRun> {
	const { transport, sentBytes } = countingTransport(baseUrl);
	const run: PushRun = { ms: 0, requests: 0, bodyBytes: 0, applied: 0, duplicates: 0, other: 0 };
	const started = performance.now();
	for (let from = 0; from < mutations.length; from += LIMITS.maxMutationsPerPush) {
		const batch = mutations.slice(from, from + LIMITS.maxMutationsPerPush);
		const answer = await transport.post('/api/sync/push', toPushRequest(batch), PushResponseSchema, token);
		if (!answer.ok) throw new Error(`push failed: ${answer.kind}`);
		run.requests++;
		for (const result of answer.body.results) {
			if (result.status === 'applied') run.applied++;
			else if (result.status === 'duplicate') run.duplicates++;
			else run.other++;
		}
	}
	run.ms = performance.now() - started;
	run.bodyBytes = sentBytes();
	return run;
}
