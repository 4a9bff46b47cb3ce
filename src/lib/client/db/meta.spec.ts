import { describe, expect, it } from 'vitest';
import { getMeta, setMeta } from './meta';
import { openTestDb } from './testing';

describe('meta', () => {
	it('reads back what was written, and nothing for a key never written', async () => {
		const db = openTestDb();
		expect(await getMeta(db, 'device.busId')).toBeUndefined();
		await setMeta(db, 'device.busId', 'fs-1');
		await setMeta(db, 'device.busId', 'fs-2');
		expect(await getMeta(db, 'device.busId')).toBe('fs-2');
	});
});
