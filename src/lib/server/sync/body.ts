/**
 * Reads a request body as JSON under a size cap, gzip or not. The cap applies to the decompressed bytes,
 * so a small gzip bomb is refused as early as a large plain body. Every failure is a SyncError (4xx).
 */
import { parseWith } from '$lib/domain/validation';
import type * as v from 'valibot';
import { PROTOCOL_VERSION } from '$lib/sync/protocol';
import { SyncError } from './errors';

export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
	const type = request.headers.get('content-type');
	if (type !== null && !/^application\/json\s*(;|$)/i.test(type)) {
		throw new SyncError('unsupported_media_type', 'Corps JSON attendu (Content-Type: application/json)');
	}
	const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
	if (encoding !== 'identity' && encoding !== 'gzip') {
		throw new SyncError('unsupported_media_type', 'Encodage accepté : gzip ou aucun (Content-Encoding)');
	}
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > maxBytes) throw tooLarge(maxBytes);
	if (!request.body) throw new SyncError('invalid_body', 'Corps de requête vide');

	let stream: ReadableStream<Uint8Array> = request.body;
	if (encoding === 'gzip') {
		// DOM typings declare its writable side as BufferSource; request bodies are Uint8Array chunks.
		const gunzip = new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>;
		stream = stream.pipeThrough(gunzip);
	}
	const bytes = await readCapped(stream, maxBytes);
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		throw new SyncError('invalid_body', 'Corps de requête illisible (UTF-8 attendu)');
	}
	try {
		return JSON.parse(text) as unknown;
	} catch {
		throw new SyncError('invalid_body', 'Corps de requête illisible (JSON attendu)');
	}
}

async function readCapped(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
	const reader = stream.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			total += value.byteLength;
			if (total > maxBytes) throw tooLarge(maxBytes);
			chunks.push(value);
		}
	} catch (error) {
		await reader.cancel().catch(() => undefined);
		if (error instanceof SyncError) throw error;
		throw new SyncError('invalid_body', 'Corps compressé illisible (gzip invalide ou tronqué)');
	}
	const bytes = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return bytes;
}

function tooLarge(maxBytes: number): SyncError {
	return new SyncError(
		'payload_too_large',
		`Corps trop volumineux (au plus ${maxBytes} octets décompressés)`
	);
}

/** Checks the protocol version first (its own error code), then the whole body against `schema`. */
export function parseBody<TSchema extends v.GenericSchema>(
	schema: TSchema,
	body: unknown
): v.InferOutput<TSchema> {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw new SyncError('invalid_body', 'Objet JSON attendu');
	}
	const protocol = (body as { protocol?: unknown }).protocol;
	if (protocol !== PROTOCOL_VERSION) {
		throw new SyncError(
			'protocol_unsupported',
			`Version de protocole non prise en charge : ce serveur parle la version ${PROTOCOL_VERSION}`,
			'protocol'
		);
	}
	const parsed = parseWith(schema, body);
	if (parsed.ok) return parsed.value;
	const first = parsed.issues[0];
	const where = first?.path ? `${first.path} : ` : '';
	throw new SyncError(
		'invalid_body',
		`${where}${first?.message ?? 'Corps invalide'}`,
		first?.path || undefined
	);
}
