import { fileURLToPath } from 'node:url';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { storeSpecs } from './tests/store-specs.js';

const SPECS = ['src/**/*.spec.ts', 'tests/unit/**/*.spec.ts', 'tests/sync/**/*.spec.ts'];

// PostgreSQL for both projects (the contract specs of the `sqlite` one use both engines): checks that the server
// answers, makes the run's migrated template, drops what the run made (tests/setup/postgres.ts). In each project,
// not the root config: Vitest runs the root's global setup too, which would make a template no test uses.
const WITH_POSTGRES = {
	globalSetup: ['tests/setup/postgres.ts'],
	setupFiles: ['tests/setup/postgres-files.ts']
};

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
		environment: 'node',
		// Bounds, not waits: a test that hangs still fails. On two cores kept busy, a test that opens a few
		// PostgreSQL stores took over vitest's 5 s.
		testTimeout: 30_000,
		hookTimeout: 60_000,
		projects: [
			{
				extends: true,
				test: { name: 'sqlite', include: SPECS, ...WITH_POSTGRES }
			},
			{
				// The store and sync handler suites again, on the PostgreSQL adapter (issue 12): the specs that
				// open a store through tests/factories/store.ts, less SQLite's own and the contract specs, which
				// already run each engine.
				extends: true,
				test: {
					name: 'postgres',
					include: storeSpecs(
						fileURLToPath(new URL('.', import.meta.url)),
						['src', 'tests/sync'],
						/(^|\/)sqlite\/|\.contract\.spec\.ts$/
					),
					env: { ESCALE_TEST_STORE: 'postgres' },
					...WITH_POSTGRES
				}
			}
		]
	}
});
