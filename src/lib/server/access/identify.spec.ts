import { afterEach, describe, expect, it } from 'vitest';
import { createMember, openSession } from '../auth/members';
import type { Store } from '../store/store';
import { revokeDevice } from '../sync/codes';
import { A, enrollDevice, openFixtureStore } from '$factories/sync';
import { identifyCaller } from './identify';

let store: Store | null = null;
afterEach(async () => {
	await store?.close();
	store = null;
});

async function setUp() {
	store = await openFixtureStore();
	const device = await enrollDevice(store, A.bus);
	const account = await createMember(
		store,
		{ email: 'claire@exemple.fr', name: 'Claire', password: 'un mot de passe', roles: ['national'] },
		undefined,
		{ N: 1024, r: 8, p: 1 }
	);
	const { token: sessionToken } = await openSession(store, account.id);
	return { store, device, account, sessionToken };
}

describe('identifyCaller', () => {
	it('finds a tablet by its bearer token, and tells a removed one', async () => {
		const { store, device } = await setUp();
		const bearer = `Bearer ${device.token}`;
		expect((await identifyCaller(store, { authorization: bearer, sessionToken: undefined })).caller).toEqual({
			kind: 'device',
			deviceId: device.deviceId,
			busId: A.bus,
			revoked: false
		});
		await revokeDevice(store, device.deviceId);
		expect(
			(await identifyCaller(store, { authorization: bearer, sessionToken: undefined })).caller
		).toMatchObject({
			kind: 'device',
			revoked: true
		});
	});

	it('finds a member by the session cookie, with their roles', async () => {
		const { store, account, sessionToken } = await setUp();
		expect(await identifyCaller(store, { authorization: null, sessionToken })).toEqual({
			caller: {
				kind: 'member',
				id: account.id,
				email: 'claire@exemple.fr',
				name: 'Claire',
				roles: ['national']
			},
			staleSession: false
		});
	});

	it('makes a wrong, malformed or foreign token anonymous, never falling back to the cookie', async () => {
		const { store, device, sessionToken } = await setUp();
		const [deviceId] = device.token.split('.');
		for (const authorization of [
			`Bearer ${deviceId}.${'A'.repeat(43)}`,
			`Bearer ${device.token}x`,
			'Basic dXNlcjpwYXNz',
			'Bearer',
			''
		]) {
			expect((await identifyCaller(store, { authorization, sessionToken })).caller).toEqual({
				kind: 'anonymous'
			});
		}
	});

	it('makes an unknown session cookie anonymous and says it is stale', async () => {
		const { store } = await setUp();
		expect(await identifyCaller(store, { authorization: null, sessionToken: 'A'.repeat(43) })).toEqual({
			caller: { kind: 'anonymous' },
			staleSession: true
		});
		expect(await identifyCaller(store, { authorization: null, sessionToken: undefined })).toEqual({
			caller: { kind: 'anonymous' },
			staleSession: false
		});
	});
});
