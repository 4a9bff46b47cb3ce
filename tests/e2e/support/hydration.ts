/**
 * A slow line in a test: the page's server-rendered HTML arrives, its JavaScript does not until the test says so.
 * Meanwhile the person reads, types and chooses in the plain HTML page; then the scripts come and the page is
 * hydrated over what they did.
 */
import { expect, type Page } from '@playwright/test';

/** The app's scripts: the boot script imports them, the head preloads them. Styles pass (they block rendering). */
const SCRIPTS = '**/_app/immutable/**/*.js';

export interface HeldScripts {
	/** Lets every held script through, and resolves once the page is hydrated. */
	release(): Promise<void>;
}

/** Holds back the scripts of every page this one loads from now on, until `release()`. */
export async function holdScripts(page: Page): Promise<HeldScripts> {
	let open!: () => void;
	const opened = new Promise<void>((resolve) => (open = resolve));
	await page.route(SCRIPTS, async (route) => {
		await opened;
		await route.continue();
	});
	return {
		async release() {
			open();
			await waitForHydration(page);
		}
	};
}

/** SvelteKit mounts its route announcer once the app has hydrated the page: a state, not a delay. */
export async function waitForHydration(page: Page): Promise<void> {
	await expect(page.locator('#svelte-announcer')).toBeAttached();
}
