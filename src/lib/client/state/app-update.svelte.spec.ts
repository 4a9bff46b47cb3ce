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

describe('AppUpdate with a form in progress', () => {
	async function offered() {
		const { worker, register } = fakeWorker();
		const update = new AppUpdate(register);
		await update.start();
		worker.listener?.onUpdateAvailable();
		return { worker, update };
	}

	it('waits while a visitor is half filled in, then applies right after the save', async () => {
		const { worker, update } = await offered();
		update.markFormInProgress('check-in', true);
		update.applyUpdate();
		expect(worker.applied).toBe(0);
		expect(update.waiting).toBe(true);
		expect(update.updateAvailable).toBe(true);

		// More typing changes nothing; the save (the form is fresh again) applies it, once.
		update.markFormInProgress('check-in', true);
		expect(worker.applied).toBe(0);
		update.markFormInProgress('check-in', false);
		expect(worker.applied).toBe(1);
		expect(update.waiting).toBe(false);
		expect(update.updateAvailable).toBe(false);
		update.markFormInProgress('check-in', false);
		expect(worker.applied).toBe(1);
	});

	it('applies at once when no form is in progress, or when the form was emptied before the yes', async () => {
		const { worker, update } = await offered();
		update.markFormInProgress('check-in', true);
		update.markFormInProgress('check-in', false);
		update.applyUpdate();
		expect(worker.applied).toBe(1);
		expect(update.waiting).toBe(false);
	});

	it('waits for every form in progress, not only the first one done', async () => {
		const { worker, update } = await offered();
		update.markFormInProgress('check-in', true);
		update.markFormInProgress('day-report', true);
		update.applyUpdate();
		update.markFormInProgress('check-in', false);
		expect(worker.applied).toBe(0);
		update.markFormInProgress('day-report', false);
		expect(worker.applied).toBe(1);
	});

	it('never applies on a save when the user did not accept, nor after "later"', async () => {
		const { worker, update } = await offered();
		update.markFormInProgress('check-in', true);
		update.markFormInProgress('check-in', false);
		expect(worker.applied).toBe(0);

		update.markFormInProgress('check-in', true);
		update.applyUpdate();
		update.dismiss();
		expect(update.waiting).toBe(false);
		update.markFormInProgress('check-in', false);
		expect(worker.applied).toBe(0);
	});
});
