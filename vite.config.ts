import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [
		// Under Vitest the messages come from `npm run i18n` (run by `prepare` and `check`): the plugin's file
		// watcher kept Vitest from exiting ("close timed out after 10000ms").
		!process.env.VITEST &&
			paraglideVitePlugin({
				project: './project.inlang',
				outdir: './src/lib/paraglide',
				strategy: ['url', 'baseLocale']
			}),
		sveltekit()
	],
	test: {
		include: ['src/**/*.spec.ts', 'tests/unit/**/*.spec.ts', 'tests/sync/**/*.spec.ts'],
		environment: 'node',
		// Bounds, not waits: a test that hangs still fails. The PostgreSQL tests make and drop a database each
		// (a durable commit or two, a file copy): on two cores kept busy, that took over vitest's 5 and 10 s.
		testTimeout: 30_000,
		hookTimeout: 60_000
	}
});
