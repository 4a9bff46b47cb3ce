#!/usr/bin/env node
// `npm run bench`: loads scripts/bench/main.ts through Vite's SSR module loader, so the TypeScript and the
// `$lib` imports of the real sync code run as they are, without a build and without extra packages.
// Dependencies (better-sqlite3, dexie, fake-indexeddb) stay external and load from node_modules.
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));
const vite = await createServer({
	root,
	configFile: false,
	logLevel: 'warn',
	appType: 'custom',
	resolve: { alias: { $lib: `${root}src/lib` } },
	server: { middlewareMode: true, hmr: false, watch: null },
	optimizeDeps: { noDiscovery: true, include: [] }
});
let failed = false;
try {
	const { runBench } = await vite.ssrLoadModule('/scripts/bench/main.ts');
	await runBench();
} catch (error) {
	failed = true;
	console.error(error);
} finally {
	await vite.close();
}
process.exit(failed ? 1 : 0);
