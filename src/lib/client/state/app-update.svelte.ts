/**
 * The app's own updates, as the page sees them: `updateAvailable` turns true when a new version of Escale is
 * installed and waiting; it is applied only by `applyUpdate()`, i.e. when the user says so, never under their
 * hands (the page reloads once, under the new version). `dismiss()` hides the offer for this page's life; the
 * waiting version then starts by itself the next time the app is opened, with no tab left on the old one.
 */
import type { ServiceWorkerControl, UpdateListener } from '$lib/client/pwa/register';

export type RegisterServiceWorker = (listener: UpdateListener) => Promise<ServiceWorkerControl>;

/**
 * workbox-window is loaded only when the app starts in a browser: the server never needs it (and cannot import
 * it as an ES module), and the first paint of the public page does not wait for it.
 */
const registerInBrowser: RegisterServiceWorker = async (listener) => {
	const { registerServiceWorker } = await import('$lib/client/pwa/register');
	return registerServiceWorker(listener);
};

export class AppUpdate {
	updateAvailable = $state(false);

	readonly #register: RegisterServiceWorker;
	#control: ServiceWorkerControl | null = null;
	#started = false;
	#dismissed = false;

	constructor(register: RegisterServiceWorker = registerInBrowser) {
		this.#register = register;
	}

	/** Registers the service worker; later calls do nothing. Browser only, and not in dev. */
	async start(): Promise<void> {
		if (this.#started) return;
		this.#started = true;
		this.#control = await this.#register({
			onUpdateAvailable: () => {
				if (!this.#dismissed) this.updateAvailable = true;
			}
		});
	}

	/** The user accepted the new version. */
	applyUpdate(): void {
		this.updateAvailable = false;
		this.#control?.applyUpdate();
	}

	/** The user chose "later": the offer stays hidden until the page is next opened. */
	dismiss(): void {
		this.#dismissed = true;
		this.updateAvailable = false;
	}
}

export const appUpdate = new AppUpdate();
