#!/usr/bin/env node
// Starts the built Escale server (build/ from `npm run build`, or the folder ESCALE_BUILD_DIR names): one Node
// process serves the public pages, the crew and coordinator apps and the API. The database is opened, migrated
// and seeded with the demo data by the server's init hook (src/hooks.server.ts) before the first request is answered.
import compression from 'compression';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createAdmission } from './admission.js';
import { dropValidatorsOfImmutableFiles, setStaticSecurityHeaders } from './static-headers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const buildDir = `${resolve(root, process.env.ESCALE_BUILD_DIR ?? 'build')}/`;
if (!existsSync(`${buildDir}handler.js`)) {
	console.error(
		'Escale is not built yet: run `npm run build` first (or `npm start`, which builds then starts).'
	);
	process.exit(1);
}

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
	console.error(`PORT must be a TCP port number (1-65535), got "${process.env.PORT}".`);
	process.exit(1);
}

// adapter-node cuts request bodies at BODY_SIZE_LIMIT (512 KB by default); the sync API caps decompressed pushes
// at 2 MiB itself and answers with its JSON error, so the transport limit sits above that (src/lib/sync LIMITS).
// A body announced larger than the limit is refused here, in JSON like every other error (see `refuse`).
process.env.BODY_SIZE_LIMIT ??= '3M';
const bodyLimit = parseBytes(process.env.BODY_SIZE_LIMIT);
// SvelteKit refuses a form POST whose Origin is not the site's own (CSRF). adapter-node rebuilds the site's
// URL from ORIGIN, or from PROTOCOL_HEADER and the Host header, and assumes https otherwise: on this plain-HTTP
// server (a laptop, a LAN, the tests) every form would get a 403. Unless the operator says how the server is
// reached (ORIGIN, or PROTOCOL_HEADER behind a TLS proxy), the protocol is this server's own: http, whatever
// the client sends in that header (it is overwritten below).
const OWN_PROTOCOL_HEADER = 'x-escale-protocol';
const setOwnProtocol = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
if (setOwnProtocol) process.env.PROTOCOL_HEADER = OWN_PROTOCOL_HEADER;
const { handler } = await import(pathToFileURL(`${buildDir}handler.js`).href);
// Static assets are precompressed at build time (brotli and gzip) and served as such; pages and API answers
// are rendered per request, so they are compressed here: on a 2G line the bytes of the HTML matter.
const compress = compression({ threshold: 1024 });
// Tablets' requests a few at each turn of the event loop, people's at once (admission.js).
const admit = createAdmission();

/** adapter-node's reading of BODY_SIZE_LIMIT: a number of bytes, with an optional K, M or G (powers of 1024). */
function parseBytes(value) {
	const multiplier = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[value.at(-1)?.toUpperCase() ?? ''] ?? 1;
	return Number(multiplier === 1 ? value : value.slice(0, -1)) * multiplier;
}

/**
 * Errors answered before SvelteKit sees the request, in the shape every Escale error has on the API
 * (src/lib/server/http/api-error.ts): a body too large, a request adapter-node cannot turn into a URL, and
 * what Node's HTTP parser refuses (headers too large, a malformed request).
 */
const EARLY_ERRORS = {
	400: ['invalid_request', 'Requête invalide'],
	413: ['payload_too_large', 'Corps de requête trop volumineux'],
	431: ['header_too_large', 'En-têtes de requête trop volumineux']
};
function errorBody(status) {
	const [code, message] = EARLY_ERRORS[status];
	return JSON.stringify({ error: { code, message } });
}
function refuse(res, status) {
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'cache-control': 'no-store',
		connection: 'close'
	});
	res.end(errorBody(status));
}

/** What adapter-node does to build the request's URL; it answers a plain-text 400 when this throws. */
function hasUsableUrl(req) {
	try {
		new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
		return true;
	} catch {
		return false;
	}
}

const server = createServer((req, res) => {
	// Static files (the service worker script included) never reach SvelteKit's hooks: they get nosniff here;
	// SvelteKit's hook adds the headers of its answers (referrer policy, a page's policies, HSTS).
	setStaticSecurityHeaders(res);
	dropValidatorsOfImmutableFiles(req, res);
	if (Number(req.headers['content-length'] ?? 0) > bodyLimit) return refuse(res, 413);
	if (!hasUsableUrl(req)) return refuse(res, 400);
	// The service worker script is a static file, answered before SvelteKit's hooks see the request: mark it
	// `no-cache` here so browsers always revalidate it and notice a new version
	// (docs/offline-data-loss.md, item 8).
	if (req.url?.split('?')[0] === '/service-worker.js') res.setHeader('cache-control', 'no-cache');
	if (setOwnProtocol) req.headers[OWN_PROTOCOL_HEADER] = 'http';
	admit(req, () => compress(req, res, () => handler(req, res)));
});
// Node answers requests it cannot parse (431 headers too large, 400 malformed) with an empty body: say it in JSON.
server.on('clientError', (error, socket) => {
	if (!socket.writable || error.code === 'ECONNRESET') return socket.destroy();
	const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
	const body = errorBody(status);
	socket.end(
		`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
			'Content-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n' +
			`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
	);
});
server.listen(port, host, () => {
	const base = `http://localhost:${port}`;
	// ESCALE_LOG_FORMAT=json (docs/deploy.md, "Logs"): the same event as one JSON line, like the server's others.
	if (process.env.ESCALE_LOG_FORMAT?.trim().toLowerCase() === 'json') {
		const line = {
			time: new Date().toISOString(),
			level: 'info',
			event: 'server.ready',
			message: 'Escale is ready'
		};
		console.log(JSON.stringify({ ...line, port, host }));
		return;
	}
	console.log(`Escale est prêt / is ready:
  Public        ${base}/
  Équipage      ${base}/equipage
  Coordination  ${base}/coordination
  Santé / API   ${base}/api/health`);
});

// A graceful stop (SIGINT, SIGTERM: a deploy, a scale-down): no new connection, requests under way finish, then the
// server closes its database (src/hooks.server.ts listens to 'sveltekit:shutdown', the event adapter-node's own
// server emits): SQLite folds its WAL back into the file, PostgreSQL's connections end cleanly. A request that does
// not finish within 10 s does not hold the stop any longer.
let stopping = false;
async function stop(signal) {
	if (stopping) return;
	stopping = true;
	const forced = setTimeout(() => process.exit(0), 10_000);
	forced.unref();
	await new Promise((resolve) => {
		server.close(resolve);
		server.closeIdleConnections();
	});
	await Promise.allSettled(process.listeners('sveltekit:shutdown').map((listener) => listener(signal)));
	process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
