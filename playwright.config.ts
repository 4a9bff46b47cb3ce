import { defineConfig, devices } from '@playwright/test';
import { findChromiumExecutable, quietChromiumArgs } from './scripts/chromium-path.js';

/**
 * End-to-end tests against the production build (`npm run build`), served by scripts/serve.js as in `npm start`:
 * the service worker and the offline behaviour only exist in a build. Chromium only: Playwright's own when
 * installed (`npx playwright install chromium`), else Debian's (`apt-get install chromium`) or CHROMIUM_PATH.
 */
/** ESCALE_E2E_PORT lets two checkouts run their browser tests side by side (each serves its own build). */
const PORT = Number(process.env.ESCALE_E2E_PORT ?? 4173);
/** A fresh database for each run, so the demo data is seeded from scratch (removed before the server starts). */
const DATA_DIR = 'test-results/e2e-data';
const CI = Boolean(process.env.CI);

export default defineConfig({
	testDir: 'tests/e2e',
	// test-results/ also holds the test server's data and a second build (update.spec.ts): keep Playwright's
	// own output in a subfolder, which it empties at each run.
	outputDir: 'test-results/artifacts',
	fullyParallel: false,
	forbidOnly: CI,
	retries: 0,
	// Two cores: one test at a time beside the server (the update test also runs a build of its own).
	workers: 1,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: [['list'], ['./tests/e2e/summary-reporter.ts']],
	use: {
		baseURL: `http://localhost:${PORT}`,
		locale: 'fr-FR',
		trace: 'retain-on-failure'
	},
	projects: [
		{
			name: 'chromium',
			use: {
				...devices['Desktop Chrome'],
				launchOptions: { executablePath: findChromiumExecutable(), args: quietChromiumArgs }
			}
		}
	],
	webServer: {
		command: `rm -rf ${DATA_DIR} && npm run build && node scripts/serve.js`,
		url: `http://localhost:${PORT}/`,
		env: { PORT: String(PORT), ESCALE_DATA_DIR: DATA_DIR },
		reuseExistingServer: !CI,
		timeout: 240_000,
		stdout: 'ignore',
		stderr: 'pipe'
	}
});
