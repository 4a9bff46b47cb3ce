/**
 * Where a push's time goes: the stages every push of these records must go through, each timed alone on the
 * same batches (500 visits, protocol 2) in this run, beside the raw insert. Their sum is a floor no push
 * that compresses, validates and deduplicates can go under, whatever its HTTP stack or database code.
 */
import { hash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import * as v from 'valibot';
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

/** The browser's gzip, as the tablet's transport compresses a body (CompressionStream, zlib's default level). */
async function compress(json: string): Promise<Uint8Array> {
	const gzip = new CompressionStream('gzip');
	const writer = gzip.writable.getWriter();
	const [data] = await Promise.all([
		new Response(gzip.readable).arrayBuffer(),
		writer.write(new TextEncoder().encode(json)),
		writer.close()
	]);
	return new Uint8Array(data);
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
		const json = await timed('tablet: JSON of the body', () => JSON.stringify(batch));
		const gzip = await timed('tablet: gzip (CompressionStream)', () => compress(json));
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
