/**
 * Builds and serves extra versions of Escale for the tests that need their own server (the update test serves
 * two builds, one after the other, on one port). Same commands as a deployment: `npm run build`, then
 * scripts/serve.js.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

export interface BuildOptions {
	/** The version name (SvelteKit `version.name`), which names the service worker's caches. */
	version: string;
	/** Where the build goes, relative to the project root. */
	outDir: string;
}

/** Runs `npm run build` with a given version and output folder; rejects with the build's log if it fails. */
export function buildVersion({ version, outDir }: BuildOptions): Promise<void> {
	rmSync(outDir, { recursive: true, force: true });
	return new Promise((resolve, reject) => {
		const child = spawn('npm', ['run', 'build'], {
			env: { ...process.env, ESCALE_BUILD_VERSION: version, ESCALE_BUILD_DIR: outDir },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let log = '';
		child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
		child.on('error', reject);
		child.on('exit', (code) =>
			code === 0
				? resolve()
				: reject(new Error(`build of ${version} failed (exit ${code}):\n${log.slice(-4000)}`))
		);
	});
}

export interface RunningServer {
	url: string;
	stop(): Promise<void>;
}

export interface ServeOptions {
	port: number;
	/** The build to serve, relative to the project root. */
	buildDir: string;
	dataDir: string;
	/** More environment for the server (ORIGIN, to serve as if behind TLS). */
	env?: Record<string, string>;
}

/** Starts scripts/serve.js on a build and resolves once it answers (or rejects after 60 s). */
export async function serveBuild({ port, buildDir, dataDir, env }: ServeOptions): Promise<RunningServer> {
	const child = spawn('node', ['scripts/serve.js'], {
		env: { ...process.env, PORT: String(port), ESCALE_BUILD_DIR: buildDir, ESCALE_DATA_DIR: dataDir, ...env },
		stdio: ['ignore', 'ignore', 'pipe']
	});
	let errors = '';
	child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
	const url = `http://localhost:${port}`;
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null)
			throw new Error(`server on ${buildDir} exited (${child.exitCode}): ${errors}`);
		try {
			const response = await fetch(`${url}/`);
			if (response.ok) break;
		} catch {
			// Not listening yet.
		}
		if (Date.now() > deadline) {
			await stopProcess(child);
			throw new Error(`server on ${buildDir} did not answer within 60 s: ${errors}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	return { url, stop: () => stopProcess(child) };
}

/** SIGTERM (the server closes cleanly), then SIGKILL if it has not exited within 10 s. */
async function stopProcess(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
	await exited;
	clearTimeout(timer);
}
