import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { createHash } from 'node:crypto';
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

/**
 * SvelteKit's route announcer (the live region that reads the new page's title to screen readers after a
 * client-side navigation) is a <div> with a visually-hiding style attribute, written by SvelteKit's generated root
 * component. The policy allows that one attribute value by its hash ('unsafe-hashes' admits only the hashes
 * listed, never any other inline style). The hash is taken from SvelteKit's own source, so that an upgrade that
 * changes the style does not silently show the announcer on every page.
 */
function hashAnnouncerStyle() {
	const root = new URL('./node_modules/@sveltejs/kit/src/core/sync/write_root.js', import.meta.url);
	const style = /id="svelte-announcer"[^>]*\sstyle="([^"]+)"/.exec(readFileSync(root, 'utf8'))?.[1];
	if (!style)
		throw new Error(
			"svelte.config.js: the style of SvelteKit's route announcer was not found in write_root.js: " +
				'SvelteKit changed, update hashAnnouncerStyle().'
		);
	return /** @type {const} */ (`sha256-${createHash('sha256').update(style).digest('base64')}`);
}

/**
 * The Content-Security-Policy of every page. SvelteKit adds the hash of its inline boot script to script-src;
 * nothing else may run inline, nor style the page inline: no 'unsafe-inline' for scripts nor styles (components
 * style themselves with classes, in the built stylesheets), and only the announcer's style attribute. No third
 * party is ever contacted: maps are plain links. No data: images: the poster's QR code is inline SVG markup.
 * @type {NonNullable<NonNullable<import('@sveltejs/kit').KitConfig['csp']>['directives']>}
 */
export const CONTENT_SECURITY_POLICY = {
	'default-src': ['self'],
	'script-src': ['self'],
	'style-src': ['self'],
	'style-src-attr': ['unsafe-hashes', hashAnnouncerStyle()],
	'img-src': ['self'],
	'font-src': ['self'],
	'connect-src': ['self'],
	'worker-src': ['self'],
	'manifest-src': ['self'],
	'object-src': ['none'],
	'base-uri': ['self'],
	'form-action': ['self'],
	'frame-ancestors': ['none']
};

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
		// The test factories (tests/factories), shared by the unit, sync and bench suites: specs under src import
		// them by this name, never through `../../../../tests`.
		alias: { $factories: 'tests/factories' },
		// SvelteKit's cross-site form check answers in plain text before any hook runs; the same check is done
		// in src/hooks.server.ts (src/lib/server/http/cross-site.ts), which answers the API in JSON.
		csrf: { trustedOrigins: ['*'] },
		csp: {
			// Hashes, not nonces: the service worker stores whole pages (headers included) and serves them again
			// offline, so a nonce would be replayed for weeks; a hash of the inline boot script stays true.
			mode: 'hash',
			directives: CONTENT_SECURITY_POLICY
		}
	}
};

export default config;
