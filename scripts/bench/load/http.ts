/**
 * Each simulated client on connections of its own, as 200 tablets and a few residents' browsers are: node:http
 * with an agent per client, behind the fetch signature the client transport takes. Node's global fetch pools
 * connections per origin for the whole process, and a public page read there waited behind the tablets' pushes
 * in the load generator itself (seconds, measured), which no resident's browser does.
 */
import { Agent, request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { FetchLike } from '$lib/client/sync/transport';

/** A connection error as node:http reports it: `ECONNREFUSED` when the process is gone. */
export function errorCode(error: unknown): string {
	return (error as { code?: string }).code ?? (error instanceof Error ? error.name : 'unknown');
}

/**
 * A fetch of one client: its own keep-alive connection, the answer read whole. Gzip is accepted and inflated, as
 * a browser does (the server compresses answers over 1 KiB: its CPU counts).
 */
export function clientFetch(): FetchLike {
	const agent = new Agent({ keepAlive: true, maxSockets: 2 });
	return (input, init) =>
		new Promise<Response>((resolve, reject) => {
			const headers: Record<string, string> = {
				...Object.fromEntries(new Headers(init.headers)),
				'accept-encoding': 'gzip'
			};
			const body = init.body;
			const sent =
				body instanceof ArrayBuffer
					? Buffer.from(body)
					: typeof body === 'string'
						? Buffer.from(body)
						: body == null
							? null
							: (() => {
									throw new Error('clientFetch sends strings and ArrayBuffers only');
								})();
			if (sent) headers['content-length'] = String(sent.length);
			const outgoing = request(
				input,
				{ method: init.method ?? 'GET', agent, headers, signal: init.signal ?? undefined },
				(incoming) => {
					const chunks: Buffer[] = [];
					incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
					incoming.on('error', reject);
					incoming.on('end', () => {
						const answerHeaders = new Headers();
						for (const [name, value] of Object.entries(incoming.headers)) {
							if (typeof value === 'string' && name !== 'content-encoding') answerHeaders.set(name, value);
						}
						const raw = Buffer.concat(chunks);
						try {
							const bytes = incoming.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
							// A 204 or 304 takes no body.
							const status = incoming.statusCode ?? 0;
							const answer = status === 204 || status === 304 ? null : bytes;
							resolve(new Response(answer, { status, headers: answerHeaders }));
						} catch (error) {
							reject(error);
						}
					});
				}
			);
			outgoing.on('error', reject);
			outgoing.end(sent ?? undefined);
		});
}
