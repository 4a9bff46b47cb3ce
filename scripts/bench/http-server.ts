/**
 * The real sync handlers behind a real node:http server on 127.0.0.1, as production runs them (adapter-node
 * turns the Node request into a Request; scripts/serve.js gzips answers over 1 KiB). It counts what crosses
 * the socket for each request (headers included), and how long the handler took.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { handleEnroll, handlePull, handlePush, type SyncHandler } from '$lib/server/sync/http';
import type { Store } from '$lib/server/store/store';

const ROUTES: Record<string, SyncHandler> = {
	'/api/sync/enroll': handleEnroll,
	'/api/sync/push': handlePush,
	'/api/sync/pull': handlePull
};

/** One request as the wire saw it. */
export interface Exchange {
	path: string;
	/** Bytes read from the socket for this request: request line, headers, body. */
	bytesIn: number;
	/** Bytes written for its answer: status line, headers, body (gzip when over 1 KiB, as in production). */
	bytesOut: number;
	handlerMs: number;
}

export interface BenchServer {
	url: string;
	/** Exchanges since the last `take()`, in order (the bench sends one request at a time). */
	take(): Exchange[];
	close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

function toRequest(req: IncomingMessage, url: URL, body: Buffer): Request {
	const headers = new Headers();
	for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
		headers.append(req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? '');
	}
	const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
	return new Request(url, { method: req.method, headers, body: hasBody ? new Uint8Array(body) : undefined });
}

async function writeResponse(req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> {
	let body = Buffer.from(await response.arrayBuffer());
	const headers = Object.fromEntries(response.headers);
	if (body.length > 1024 && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
		body = gzipSync(body);
		headers['content-encoding'] = 'gzip';
		headers['vary'] = 'Accept-Encoding';
	}
	headers['content-length'] = String(body.length);
	res.writeHead(response.status, headers);
	res.end(body);
}

export async function startBenchServer(store: Store): Promise<BenchServer> {
	let exchanges: Exchange[] = [];
	// Socket counters at the end of the previous answer on that keep-alive connection.
	const seen = new WeakMap<Socket, { read: number; written: number }>();

	const server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const handler = ROUTES[url.pathname];
		const socket = req.socket;
		res.on('finish', () => {
			const before = seen.get(socket) ?? { read: 0, written: 0 };
			const now = { read: socket.bytesRead, written: socket.bytesWritten };
			seen.set(socket, now);
			const last = exchanges[exchanges.length - 1];
			if (last) {
				last.bytesIn = now.read - before.read;
				last.bytesOut = now.written - before.written;
			}
		});
		const serve = async () => {
			const body = await readBody(req);
			const started = performance.now();
			const response = handler
				? await handler(store, toRequest(req, url, body))
				: new Response('not found', { status: 404 });
			exchanges.push({ path: url.pathname, bytesIn: 0, bytesOut: 0, handlerMs: performance.now() - started });
			await writeResponse(req, res, response);
		};
		serve().catch((error: unknown) => {
			console.error(error);
			res.destroy();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		take() {
			const taken = exchanges;
			exchanges = [];
			return taken;
		},
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			})
	};
}
