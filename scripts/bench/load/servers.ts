/**
 * The app as production runs it: `node scripts/serve.js` on the built app, one child process each, on 127.0.0.1.
 * The app is built first when build/ is missing or older than a source file. Every process started here is
 * killed at the end, also when the bench fails or is interrupted (`killAll`, which the bench calls from its
 * exit and signal handlers).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const root = process.env.ESCALE_BENCH_ROOT ?? `${process.cwd()}/`;
const children = new Set<ChildProcess>();

/** The newest modification time under `path` (a file or a folder), in ms. */
function newest(path: string): number {
	const stat = statSync(path, { throwIfNoEntry: false });
	if (!stat) return 0;
	if (!stat.isDirectory()) return stat.mtimeMs;
	let latest = stat.mtimeMs;
	for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
	return latest;
}

/** Builds the app unless build/ is newer than every source it is made from; returns the build's time (0 if none). */
export function buildIfStale(): number {
	const built = existsSync(`${root}build/handler.js`) ? statSync(`${root}build/handler.js`).mtimeMs : 0;
	const sources = ['src', 'static', 'messages', 'package.json', 'svelte.config.js', 'vite.config.ts'];
	const latest = Math.max(...sources.map((source) => newest(`${root}${source}`)));
	// The paraglide output is generated into src/ by the build itself: compare with a second of slack.
	if (built > 0 && built + 1000 >= latest) return 0;
	console.log(built ? 'build/ is older than the sources: building the app' : 'building the app (no build/)');
	const started = performance.now();
	const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
	if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status})`);
	return performance.now() - started;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
		});
	});
}

export interface AppProcess {
	url: string;
	pid: number;
	/** Whether `crash()` killed it. */
	crashed(): boolean;
	/** SIGKILL: the process ends at once, its requests in flight cut. */
	crash(): void;
	stop(): Promise<void>;
	/** The last lines it wrote once ready (errors it logged), or while starting when it failed to. */
	output(): string;
}

/** Starts one app process on `env` (the database settings) and waits until /api/health answers 200. */
export async function startApp(env: Record<string, string>): Promise<AppProcess> {
	const port = await freePort();
	const child = spawn(process.execPath, [`${root}scripts/serve.js`], {
		cwd: root,
		env: {
			...process.env,
			// The bench's settings only: the caller's database or demo settings must not leak in.
			ESCALE_DATABASE_URL: '',
			DATABASE_URL: '',
			ESCALE_DATA_DIR: '',
			ESCALE_DATABASE_POOL: '',
			NODE_ENV: 'production',
			...env,
			ESCALE_DEMO: 'off',
			PORT: String(port),
			HOST: '127.0.0.1'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	children.add(child);
	let exited = false;
	let crashed = false;
	const lines: string[] = [];
	const keep = (chunk: Buffer) => {
		lines.push(...chunk.toString().split('\n').filter(Boolean));
		lines.splice(0, Math.max(0, lines.length - 12));
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	const exit = new Promise<void>((resolve) =>
		child.once('exit', () => {
			exited = true;
			children.delete(child);
			resolve();
		})
	);
	const url = `http://127.0.0.1:${port}`;
	const app: AppProcess = {
		url,
		pid: child.pid ?? 0,
		crashed: () => crashed,
		crash: () => {
			crashed = true;
			child.kill('SIGKILL');
		},
		async stop() {
			if (exited) return;
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
			await exit;
			clearTimeout(timer);
		},
		output: () => lines.join('\n')
	};
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (exited) throw new Error(`the app process exited while starting:\n${app.output()}`);
		try {
			const response = await fetch(`${url}/api/health`);
			await response.arrayBuffer();
			// What it writes from now on is what the bench shows (the start banner is not).
			if (response.ok) {
				lines.length = 0;
				return app;
			}
		} catch {
			// Not listening yet.
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	await app.stop();
	throw new Error(`the app process did not answer /api/health within 60 s:\n${app.output()}`);
}

/** Kills every app process still running (synchronous: safe in an exit handler). */
export function killAll(): void {
	for (const child of children) child.kill('SIGKILL');
}
