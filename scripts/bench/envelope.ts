/**
 * What each field of the push envelope costs on the wire: the same visits in batches of the protocol's size,
 * gzip-compressed (zlib's default level, as CompressionStream), with and without the field. After gzip a
 * field repeated verbatim (`"kind":"visit.create"`) costs almost nothing; one that changes with every
 * mutation costs what its new digits or characters do.
 */
import { gzipSync } from 'node:zlib';
import { LIMITS, toPushRequest, type Mutation } from '$lib/sync';

export interface EnvelopeCost {
	/** Gzip bytes per record of the bare payloads, batched as the pushes are. */
	bare: number;
	protocol1: number;
	protocol2: number;
	/** What leaving one field out of every protocol 1 mutation saves, bytes per record. */
	fields: { field: string; bytes: number }[];
}

const FIELDS = ['mutationId', 'kind', 'entityId', 'schemaVersion', 'createdAt'] as const;

function perRecord(mutations: Mutation[], body: (batch: Mutation[]) => unknown): number {
	let bytes = 0;
	for (let from = 0; from < mutations.length; from += LIMITS.maxMutationsPerPush) {
		const batch = mutations.slice(from, from + LIMITS.maxMutationsPerPush);
		bytes += gzipSync(JSON.stringify(body(batch))).length;
	}
	return bytes / mutations.length;
}

export function measureEnvelope(mutations: Mutation[]): EnvelopeCost {
	const protocol1 = perRecord(mutations, (batch) => ({ protocol: 1, mutations: batch }));
	const without = (field: (typeof FIELDS)[number]) =>
		perRecord(mutations, (batch) => ({
			protocol: 1,
			mutations: batch.map((mutation) => ({ ...mutation, [field]: undefined }))
		}));
	return {
		bare: perRecord(mutations, (batch) => batch.map((mutation) => mutation.payload)),
		protocol1,
		protocol2: perRecord(mutations, toPushRequest),
		fields: FIELDS.map((field) => ({ field, bytes: protocol1 - without(field) }))
	};
}

export function describeEnvelope(cost: EnvelopeCost): string {
	const b = (value: number) => `${value.toFixed(1)} B`;
	const fields = cost.fields.map(({ field, bytes }) => `${field} ${b(bytes)}`).join(', ');
	return (
		`- Envelope, gzip bytes per record in batches of ${LIMITS.maxMutationsPerPush} (zlib's default level): bare payloads ${b(cost.bare)};\n` +
		`  protocol 1 ${b(cost.protocol1)}, of which ${fields};\n` +
		`  protocol 2 (sent) ${b(cost.protocol2)}: ids counted from the batch's firstMutationId, entityId left out when it is\n` +
		"  the payload's id, no device clock (createdAt). The rest over the bare gzip is the batching itself: the\n" +
		'  baseline compresses the 10,000 records as one stream.'
	);
}
