/**
 * The app's own updates, as the page sees them: `updateAvailable` turns true when a new version of Escale is
 * installed and waiting; it is applied only by `applyUpdate()`, i.e. when the user says so, never under their
 * hands (the page reloads once, under the new version). `dismiss()` hides the offer for this page's life; the
 * waiting version then starts by itself the next time the app is opened, with no tab left on the old one.
 *
 * A reload would throw away a form half filled in (a visitor at the bus), so a screen with a form says so
 * (`markFormInProgress`): a yes given meanwhile only waits (`waiting`, the banner says so) and the update is
 * applied the moment no form is in progress any more: saved, emptied, or left (issue 11, item 4).
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
	/** The user accepted while a form was in progress: the update is applied once none is. */
	waiting = $state(false);

	readonly #register: RegisterServiceWorker;
	#control: ServiceWorkerControl | null = null;
	#started = false;
	#dismissed = false;
	/** The forms that hold something typed and not saved, by a name of the screen's choosing. */
	// A plain Set: no template reads it (`waiting` is the state shown), and svelte/reactivity would weigh on the
	// public pages, which load this module too.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #formsInProgress = new Set<string>();

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

	/** Whether some form holds work a reload would lose. */
	get formInProgress(): boolean {
		return this.#formsInProgress.size > 0;
	}

	/**
	 * A screen says whether its form holds unsaved work (call it again with false once saved, emptied or left).
	 * An accepted update that waited is applied as soon as no form is in progress.
	 */
	markFormInProgress(form: string, inProgress: boolean): void {
		if (inProgress) this.#formsInProgress.add(form);
		else this.#formsInProgress.delete(form);
		if (this.waiting && !this.formInProgress) this.#apply();
	}

	/** The user accepted the new version: applied now, or once the form in progress is saved or emptied. */
	applyUpdate(): void {
		if (this.formInProgress) this.waiting = true;
		else this.#apply();
	}

	/** The user chose "later": the offer stays hidden until the page is next opened (a waiting yes is withdrawn). */
	dismiss(): void {
		this.#dismissed = true;
		this.waiting = false;
		this.updateAvailable = false;
	}

	#apply(): void {
		this.waiting = false;
		this.updateAvailable = false;
		this.#control?.applyUpdate();
	}
}

export const appUpdate = new AppUpdate();
