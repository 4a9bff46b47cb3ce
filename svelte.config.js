import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build', precompress: true }),
		// The service worker is registered by workbox-window (src/lib/client/pwa), so that updates are
		// announced in the page and applied only when the user accepts.
		serviceWorker: { register: false },
		version: { pollInterval: 0 }
	}
};

export default config;
