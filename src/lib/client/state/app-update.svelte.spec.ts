import { describe, expect, it } from 'vitest';
import type { ServiceWorkerControl, UpdateListener } from '$lib/client/pwa/register';
import { AppUpdate } from './app-update.svelte';

/** Stands in for the browser's service worker registration (the edge this state sits on). */
function fakeWorker() {
	const worker = { listener: null as UpdateListener | null, registrations: 0, applied: 0 };
	const register = async (listener: UpdateListener): Promise<ServiceWorkerControl> => {
		worker.registrations += 1;
		worker.listener = listener;
		return { applyUpdate: () => void (worker.applied += 1), checkForUpdate: async () => {} };
	};
	return { worker, register };
}

describe('AppUpdate', () => {
	it('offers nothing until a new version is waiting', async () => {
		const { register } = fakeWorker();
		const update = new AppUpdate(register);
		await update.start();
		expect(update.updateAvailable).toBe(false);
	});

	it('announces a waiting version and applies it only when the user accepts', async () => {
		const { worker, register } = fakeWorker();
		const update = new AppUpdate(register);
		await update.start();
		worker.listener?.onUpdateAvailable();
		expect(update.updateAvailable).toBe(true);
		expect(worker.applied).toBe(0);

		update.applyUpdate();
		expect(worker.applied).toBe(1);
		expect(update.updateAvailable).toBe(false);
	});

	it('keeps the offer hidden for the rest of the page life once the user chose later', async () => {
		const { worker, register } = fakeWorker();
		const update = new AppUpdate(register);
		await update.start();
		worker.listener?.onUpdateAvailable();
		update.dismiss();
		worker.listener?.onUpdateAvailable();
		expect(update.updateAvailable).toBe(false);
		expect(worker.applied).toBe(0);
	});

	it('registers the service worker once however often it is started', async () => {
		const { worker, register } = fakeWorker();
		const update = new AppUpdate(register);
		await update.start();
		await update.start();
		expect(worker.registrations).toBe(1);
	});
});
