/**
 * Registers Escale's service worker with workbox-window and runs the update flow from the page's side:
 * a new version is reported (`onUpdateAvailable`), never applied on its own; `applyUpdate()` hands over to the
 * waiting worker and reloads the page once it is in control. The worker side is src/service-worker/update.ts.
 */
import { Workbox } from 'workbox-window';

export interface UpdateListener {
	/** A new version is installed and waits for the user's go-ahead (or another tab already switched to it). */
	onUpdateAvailable(): void;
}

export interface ServiceWorkerControl {
	/** The user accepted: activate the waiting version, then reload this page once, under the new worker. */
	applyUpdate(): void;
	/** Asks the server whether a new version was deployed (the browser also checks on each navigation). */
	checkForUpdate(): Promise<void>;
}

/** Connected tablets look for a new version this often, and whenever the app comes back to the screen or online. */
const UPDATE_CHECK_INTERVAL_MS = 30 * 60 * 1000;

/** Registers /service-worker.js. Call once, in the browser, outside dev (Vite serves no worker there). */
export function registerServiceWorker(listener: UpdateListener): ServiceWorkerControl {
	const wb = new Workbox('/service-worker.js', { scope: '/' });
	let accepted = false;
	let reloading = false;

	const reloadOnce = (): void => {
		if (reloading) return;
		reloading = true;
		window.location.reload();
	};

	wb.addEventListener('waiting', () => listener.onUpdateAvailable());

	// Whether a worker already served this page: the very first install also takes control (clientsClaim), and
	// that is no update.
	let controlled = navigator.serviceWorker.controller !== null;
	wb.addEventListener('controlling', () => {
		if (accepted) reloadOnce();
		// Another tab accepted the update: this page still runs the old code, so offer the reload, never force it.
		else if (controlled) listener.onUpdateAvailable();
		controlled = true;
	});

	const checkForUpdate = async (): Promise<void> => {
		if (!navigator.onLine) return;
		try {
			await wb.update();
		} catch {
			// A failed check (flaky line, server restarting) changes nothing: the next one will tell.
		}
	};

	void wb.register().catch((error: unknown) => {
		// Without a worker the app still works online; say why in the console for whoever maintains the bus.
		console.warn('Escale: service worker registration failed', error);
	});

	window.setInterval(() => void checkForUpdate(), UPDATE_CHECK_INTERVAL_MS);
	window.addEventListener('online', () => void checkForUpdate());
	document.addEventListener('visibilitychange', () => {
		if (document.visibilityState === 'visible') void checkForUpdate();
	});

	return {
		applyUpdate() {
			accepted = true;
			void navigator.serviceWorker.getRegistration().then((registration) => {
				// No waiting worker means another tab already activated it: this page only needs its reload.
				if (registration?.waiting) wb.messageSkipWaiting();
				else reloadOnce();
			});
		},
		checkForUpdate
	};
}
