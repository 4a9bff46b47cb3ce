/**
 * Reads a request body as JSON under a size cap, gzip or not. The cap applies to the decompressed bytes
 * (zlib stops there), so a small gzip bomb costs no more than a large plain body before it is refused.
 * Every failure is a SyncError (4xx).
 */
import { isUtf8 } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import { parseWith } from '$lib/domain/validation';
import type * as v from 'valibot';
import { PROTOCOL_VERSIONS, isProtocolVersion } from '$lib/sync/protocol';
import { SyncError } from './errors';

const UTF8 = new TextDecoder('utf-8');

/** zlib's output step: a whole push inflates in a few steps instead of dozens of 16 KiB ones. */
const GUNZIP_CHUNK_BYTES = 256 * 1024;

export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
	return (await receiveJsonBody(request, maxBytes))();
}

/**
 * Reads the body's bytes (the network's time, no CPU to speak of) and returns the step that turns them into JSON
 * (inflate, UTF-8 check, parse: the CPU's time), so a push can wait for its turn in between (turns.ts).
 */
export async function receiveJsonBody(request: Request, maxBytes: number): Promise<() => unknown> {
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

	// The bytes as sent are capped too (as Content-Length is above): a gzip body that big would inflate
	// past the cap anyway.
	const sent = await readCapped(request.body, maxBytes);
	return () => {
		const bytes = encoding === 'gzip' ? gunzipCapped(sent, maxBytes) : sent;
		// isUtf8 checks the bytes at memory speed; a fatal TextDecoder checks as it decodes, about twice slower.
		if (!isUtf8(bytes)) throw new SyncError('invalid_body', 'Corps de requête illisible (UTF-8 attendu)');
		const text = UTF8.decode(bytes);
		try {
			return JSON.parse(text) as unknown;
		} catch {
			throw new SyncError('invalid_body', 'Corps de requête illisible (JSON attendu)');
		}
	};
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
		throw new SyncError('invalid_body', 'Corps de requête illisible (connexion interrompue)');
	}
	const bytes = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return bytes;
}

/**
 * Inflates a gzip body in one synchronous call, stopped by zlib itself past `maxBytes` of output, so a
 * bomb costs no more than the cap. On a whole buffer this is several times cheaper than a
 * DecompressionStream fed through web streams, or zlib's thread pool (a push inflates in about 1 ms, the
 * cap of 2 MiB in a few ms).
 */
function gunzipCapped(bytes: Uint8Array, maxBytes: number): Uint8Array {
	try {
		return gunzipSync(bytes, { maxOutputLength: maxBytes, chunkSize: GUNZIP_CHUNK_BYTES });
	} catch (error) {
		if (error instanceof RangeError) throw tooLarge(maxBytes);
		throw new SyncError('invalid_body', 'Corps compressé illisible (gzip invalide ou tronqué)');
	}
}

function tooLarge(maxBytes: number): SyncError {
	return new SyncError(
		'payload_too_large',
		`Corps trop volumineux (au plus ${maxBytes} octets décompressés)`
	);
}

/** Checks the protocol version first (its own error code: 1 or 2), then the whole body against `schema`. */
export function parseBody<TSchema extends v.GenericSchema>(
	schema: TSchema,
	body: unknown
): v.InferOutput<TSchema> {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw new SyncError('invalid_body', 'Objet JSON attendu');
	}
	if (!isProtocolVersion((body as { protocol?: unknown }).protocol)) {
		throw new SyncError(
			'protocol_unsupported',
			`Version de protocole non prise en charge : ce serveur parle les versions ${PROTOCOL_VERSIONS.join(' et ')}`,
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
