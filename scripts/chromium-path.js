// Which Chromium the tests and scripts launch: Playwright's own build when `npx playwright install chromium`
// has fetched it, otherwise Debian's (`apt-get install chromium`), or the one CHROMIUM_PATH names.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** Flags that keep Chromium from reaching for the network on its own (updates, sync, field trials). */
export const quietChromiumArgs = [
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run'
];

/**
 * The executable to pass to `launch({ executablePath })`, or undefined to let Playwright use its own.
 * @returns {string | undefined}
 */
export function findChromiumExecutable() {
	if (existsSync(chromium.executablePath())) return undefined;
	const fallback = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
	if (!existsSync(fallback)) {
		throw new Error(
			`No Chromium found: run \`npx playwright install chromium\` or \`apt-get install chromium\`, or set CHROMIUM_PATH (tried ${fallback}).`
		);
	}
	return fallback;
}
