/**
 * HTTP requests sent exactly as written, as `curl --path-as-is` does: the path is not normalised, so
 * `/%63oordination`, `//coordination` or `/x/../coordination` reach the server as an attacker would send them
 * (a browser or `fetch` would rewrite some of them first).
 */
import { request as httpRequest } from 'node:http';

export interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

export interface RawRequest {
	method?: string;
	path: string;
	headers?: Record<string, string>;
	body?: string | Uint8Array;
}

export function rawRequest(
	base: string,
	{ method = 'GET', path, headers = {}, body }: RawRequest
): Promise<RawResponse> {
	const url = new URL(base);
	return new Promise((resolve, reject) => {
		const req = httpRequest(
			{
				host: url.hostname,
				port: url.port,
				method,
				path,
				headers: {
					...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
					...headers
				}
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body: Buffer.concat(chunks).toString('utf8')
					})
				);
				res.on('error', reject);
			}
		);
		req.on('error', reject);
		if (body !== undefined) req.write(body);
		req.end();
	});
}

/** The value of a cookie the response sets, or undefined. */
export function setCookie(response: RawResponse, name: string): string | undefined {
	const raw = response.headers['set-cookie'];
	for (const line of Array.isArray(raw) ? raw : raw ? [raw] : []) {
		const [pair] = line.split(';');
		const [key, ...value] = (pair ?? '').split('=');
		if (key?.trim() === name) return value.join('=');
	}
	return undefined;
}

/** Runs `tasks` with at most `width` at a time (the server and the test share two cores). */
export async function inBatches<T>(tasks: (() => Promise<T>)[], width = 4): Promise<T[]> {
	const results: T[] = new Array(tasks.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: width }, async () => {
			while (next < tasks.length) {
				const index = next++;
				const task = tasks[index];
				if (task) results[index] = await task();
			}
		})
	);
	return results;
}
