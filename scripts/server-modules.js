// Loads Escale's TypeScript server modules from a command-line script (create-member.js, backup.js) through
// Vite, without a build: `$lib` resolves as in the app. Close the returned server when done.
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** A Vite server in middleware mode: `ssrLoadModule('/src/lib/…')` loads a module with its imports. */
export function openModuleLoader() {
	return createServer({
		root,
		configFile: false,
		logLevel: 'warn',
		appType: 'custom',
		resolve: { alias: { $lib: `${root}src/lib` } },
		server: { middlewareMode: true, hmr: false, watch: null },
		optimizeDeps: { noDiscovery: true, include: [] }
	});
}
