import { describe, expect, it } from 'vitest';
import { revokeDevice } from '../../sync/codes';
import { A, B, enrollDevice, now, openFixtureStore } from '$factories/sync';

describe('the device listing (coordination page)', () => {
	it('lists devices by bus, newest first, revoked ones included', async () => {
		const store = await openFixtureStore();
		try {
			const a1 = await enrollDevice(store, A.bus);
			const a2 = await enrollDevice(store, A.bus);
			const b1 = await enrollDevice(store, B.bus);
			await revokeDevice(store, a1.deviceId, now);

			const all = await store.devices.list(10);
			expect(all.map((device) => device.id)).toEqual([a2.deviceId, a1.deviceId, b1.deviceId]);
			expect(all[1]).toMatchObject({ busId: A.bus, appVersion: '1.0.0', revokedAt: expect.any(String) });
			expect((await store.devices.listByBus(B.bus)).map((device) => device.id)).toEqual([b1.deviceId]);
			expect(await store.devices.list(1)).toHaveLength(1);
			expect(await store.devices.listByBus('no-such-bus')).toEqual([]);
		} finally {
			await store.close();
		}
	});
});
