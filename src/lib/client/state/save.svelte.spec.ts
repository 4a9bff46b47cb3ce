import { describe, expect, it } from 'vitest';
import { StorageFullError } from '$lib/client/db/errors';
import { m } from '$lib/i18n';
import { Save } from './save.svelte';

describe('Save', () => {
	it('is saving while the write runs, then says what was stored', async () => {
		const save = new Save();
		let during = false;
		const stored = await save.run(async () => {
			during = save.saving;
			save.done = 'Enregistré';
		});
		expect(stored).toBe(true);
		expect(during).toBe(true);
		expect(save.saving).toBe(false);
		expect(save.done).toBe('Enregistré');
		expect(save.error).toBeNull();
	});

	it('says in words why nothing was stored, and clears the last success', async () => {
		const save = new Save();
		await save.run(async () => void (save.done = 'Enregistré'));
		const stored = await save.run(async () => {
			throw new StorageFullError();
		});
		expect(stored).toBe(false);
		expect(save.done).toBeNull();
		expect(save.error).toBe(m.crew_save_error_full());
		expect(save.saving).toBe(false);
	});

	it('runs one save at a time', async () => {
		const save = new Save();
		let writes = 0;
		let release!: () => void;
		const first = save.run(() => new Promise<void>((resolve) => ((release = resolve), writes++)));
		expect(await save.run(async () => void writes++)).toBe(false);
		release();
		expect(await first).toBe(true);
		expect(writes).toBe(1);
	});

	it('refuses with a reason before anything is tried', () => {
		const save = new Save();
		save.done = 'Enregistré';
		save.refuse('Choisir un partenaire');
		expect(save.done).toBeNull();
		expect(save.error).toBe('Choisir un partenaire');
	});
});
