/**
 * Where a push's time goes: the stages every push of these records must go through, each timed alone on the
 * same batches (500 visits, protocol 2) in this run, beside the raw insert. Their sum is a floor no push
 * that compresses, validates and deduplicates can go under, whatever its HTTP stack or database code.
 */
import { hash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import * as v from 'valibot';
import { encodeBody } from '$lib/client/sync/transport';
import { parseVisit } from '$lib/domain/visit';
import {
	LIMITS,
	PushRequestSchema,
	mutationCanonical,
	numberedMutations,
	toPushRequest,
	type Mutation
} from '$lib/sync';

export interface Stage {
	name: string;
	ms: number;
}

export async function pushAnatomy(mutations: Mutation[]): Promise<Stage[]> {
	const totals = new Map<string, number>();
	const timed = async <T>(name: string, work: () => T | Promise<T>): Promise<T> => {
		const started = performance.now();
		const result = await work();
		totals.set(name, (totals.get(name) ?? 0) + performance.now() - started);
		return result;
	};
	for (let from = 0; from < mutations.length; from += LIMITS.maxMutationsPerPush) {
		const batch = toPushRequest(mutations.slice(from, from + LIMITS.maxMutationsPerPush));
		const { data, encoding } = await timed('tablet: JSON and gzip of the body (CompressionStream)', () =>
			encodeBody(batch)
		);
		if (encoding !== 'gzip' || !(data instanceof ArrayBuffer)) throw new Error('no CompressionStream here');
		const gzip = new Uint8Array(data);
		const body: unknown = await timed('server: gunzip and JSON.parse', () =>
			JSON.parse(new TextDecoder().decode(gunzipSync(gzip)))
		);
		const parsed = await timed('server: envelope and visits validated (valibot)', () => {
			const envelope = v.parse(PushRequestSchema, body);
			const received = numberedMutations(envelope);
			for (const mutation of received) parseVisit(mutation.payload);
			return received;
		});
		await timed('server: digests (SHA-256 of each mutation)', () => {
			for (const mutation of parsed) hash('sha256', mutationCanonical(mutation), 'hex');
		});
	}
	return [...totals].map(([name, ms]) => ({ name, ms }));
}
