/**
 * HTTP requests sent exactly as written, as `curl --path-as-is` does: the path is not normalised, so
 * `/%63oordination`, `//coordination` or `/x/../coordination` reach the server as an attacker would send them
 * (a browser or `fetch` would rewrite some of them first).
 */
import { createHash, randomBytes } from 'node:crypto';
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

export interface RawEnrollment {
	deviceId: string;
	/** `<deviceId>.<secret>`: the tablet makes the secret and sends only its digest. */
	token: string;
	serviceDayIds: string[];
}

/** Enrols a tablet with `code` as the app does (a secret of its own, its SHA-256 sent), over raw HTTP. */
export async function enrollRaw(base: string, code: string): Promise<RawEnrollment> {
	const secret = randomBytes(32).toString('base64url');
	const secretHash = createHash('sha256').update(secret, 'utf8').digest('hex');
	const response = await rawRequest(base, {
		method: 'POST',
		path: '/api/sync/enroll',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ protocol: 1, code, appVersion: '0.1.0+e2e', secretHash })
	});
	if (response.status !== 201) throw new Error(`enroll: ${response.status} ${response.body.slice(0, 300)}`);
	const body = JSON.parse(response.body) as { deviceId: string; snapshot: { serviceDays: { id: string }[] } };
	return {
		deviceId: body.deviceId,
		token: `${body.deviceId}.${secret}`,
		serviceDayIds: body.snapshot.serviceDays.map((day) => day.id)
	};
}
