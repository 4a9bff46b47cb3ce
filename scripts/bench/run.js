#!/usr/bin/env node
// `npm run bench`: bundles scripts/bench/main.ts with the real sync code for Node, as the production build bundles
// the server (the `$lib` imports resolved, dependencies left in node_modules), then runs it. Timing code loaded
// through a dev-time module loader would measure the loader's indirections, not Escale.
// `node scripts/bench/run.js pg-clients` (`npm run bench:pg-clients`) does the same with scripts/bench/pg-clients.ts,
// `node scripts/bench/run.js pull-history` with scripts/bench/pull-history.ts.
import { rmSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ENTRIES = ['main', 'pg-clients', 'pull-history', 'load'];
/** Entries of threads a bench starts, bundled beside its own (`<name>.mjs`). */
const THREADS = { load: { 'load-reader': 'load/reader-thread' } };
const entry = process.argv[2] ?? 'main';
if (!ENTRIES.includes(entry)) {
	console.error(`Unknown bench "${entry}": one of ${ENTRIES.join(', ')}`);
	process.exit(2);
}
// Inside node_modules so that the bundle's bare imports (better-sqlite3, valibot...) resolve from the project.
// One folder per run: two runs at once (two worktrees share node_modules) must not remove each other's.
const outDir = `${root}node_modules/.cache/escale-bench-${entry}-${process.pid}`;
process.env.ESCALE_BENCH_ROOT = root;
// Where a bench finds the entries of its threads (THREADS).
process.env.ESCALE_BENCH_OUT = outDir;
// A bench interrupted by a signal ends the process from its own handler, past the `finally` below.
process.on('exit', () => rmSync(outDir, { recursive: true, force: true }));

let failed = false;
try {
	await build({
		root,
		configFile: false,
		logLevel: 'warn',
		resolve: { alias: { $lib: `${root}src/lib`, $factories: `${root}tests/factories` } },
		build: {
			ssr: true,
			outDir,
			emptyOutDir: true,
			minify: false,
			rollupOptions: {
				input: Object.fromEntries(
					Object.entries({ main: entry, ...THREADS[entry] }).map(([name, file]) => [
						name,
						`${root}scripts/bench/${file}.ts`
					])
				),
				output: { entryFileNames: '[name].mjs' }
			}
		}
	});
	const { runBench } = await import(pathToFileURL(`${outDir}/main.mjs`).href);
	await runBench();
} catch (error) {
	failed = true;
	console.error(error);
} finally {
	rmSync(outDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
