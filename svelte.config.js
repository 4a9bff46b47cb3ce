import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { readFileSync } from 'node:fs';

const { version: packageVersion } = JSON.parse(
	readFileSync(new URL('./package.json', import.meta.url), 'utf8')
);

/**
 * Each build gets its own version name: it names the service worker's caches, so a new deployment is seen as a
 * new version by the browsers that already have the app. ESCALE_BUILD_VERSION sets it (the update test builds
 * two versions of the same code); ESCALE_BUILD_DIR sets where the build goes (default build/).
 */
// Vite loads this file more than once per build (server and client halves): the default name is kept in the
// environment so that both halves agree on it (a mismatch breaks hydration).
process.env.ESCALE_BUILD_VERSION ??= `${packageVersion}+${Date.now().toString(36)}`;
const buildVersion = process.env.ESCALE_BUILD_VERSION;

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: process.env.ESCALE_BUILD_DIR ?? 'build', precompress: true }),
		// The service worker is registered by workbox-window (src/lib/client/pwa), so that updates are
		// announced in the page and applied only when the user accepts.
		serviceWorker: { register: false },
		version: { name: buildVersion, pollInterval: 0 },
		// SvelteKit's cross-site form check answers in plain text before any hook runs; the same check is done
		// in src/hooks.server.ts (src/lib/server/http/cross-site.ts), which answers the API in JSON.
		csrf: { trustedOrigins: ['*'] }
	}
};

export default config;
