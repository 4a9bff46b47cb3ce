import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestStore } from '$factories/store';
import type { Store } from '../store/store';
import {
	DEVICE_COOKIE_TTL_MS,
	findDeviceToken,
	issueDeviceCookie,
	readDeviceCookieSecret
} from './device-cookie';

const NOW = Date.parse('2026-03-10T09:00:00.000Z');
const SECRET = randomBytes(32);
const CLAIRE = '0d6f3f0e-4b8e-4a57-9a43-0b7d1c1e2f01';
const OTHERS = ['b', 'c', 'd', 'e', 'f', 'g'].map((letter) => `${letter}-account`);

let store: Store | null = null;
afterEach(async () => {
	await store?.close();
	store = null;
});

describe('device cookies', () => {
	it('verify for the account they were issued to, and only until they expire', () => {
		const cookie = issueDeviceCookie(undefined, SECRET, CLAIRE, NOW);
		expect(cookie).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
		expect(cookie).not.toContain(CLAIRE);
		const nonce = cookie.split('.')[1];
		expect(findDeviceToken(cookie, SECRET, CLAIRE, NOW)).toBe(nonce);
		expect(findDeviceToken(cookie, SECRET, CLAIRE, NOW + DEVICE_COOKIE_TTL_MS - 1)).toBe(nonce);
		expect(findDeviceToken(cookie, SECRET, CLAIRE, NOW + DEVICE_COOKIE_TTL_MS)).toBeNull();
		expect(findDeviceToken(cookie, SECRET, 'b-account', NOW)).toBeNull();
		expect(findDeviceToken(cookie, randomBytes(32), CLAIRE, NOW)).toBeNull();
		for (const junk of [undefined, '', 'x', `${cookie}.x`, cookie.toUpperCase(), `${cookie}~`.repeat(30)]) {
			expect(findDeviceToken(junk, SECRET, CLAIRE, NOW)).toBeNull();
		}
	});

	it('hold one token per account, the newest first, five at most', () => {
		let cookie: string | undefined;
		for (const account of [CLAIRE, ...OTHERS]) cookie = issueDeviceCookie(cookie, SECRET, account, NOW);
		const tokens = cookie?.split('~') ?? [];
		expect(tokens).toHaveLength(5);
		expect(findDeviceToken(cookie, SECRET, 'g-account', NOW)).toBe(tokens[0]?.split('.')[1]);
		expect(findDeviceToken(cookie, SECRET, 'c-account', NOW)).toBe(tokens[4]?.split('.')[1]);
		expect(findDeviceToken(cookie, SECRET, CLAIRE, NOW)).toBeNull();
		// Signing in again replaces the account's token instead of adding one.
		const again = issueDeviceCookie(cookie, SECRET, 'e-account', NOW + 1000);
		expect(again.split('~')).toHaveLength(5);
		expect(again.split('~').slice(1)).toEqual(tokens.filter((_, i) => i !== 2));
	});

	it('are signed with a secret made once and kept in the store', async () => {
		store = await openTestStore();
		expect(await store.meta.get('deviceCookieSecret')).toBeNull();
		const [first, second] = await Promise.all([readDeviceCookieSecret(store), readDeviceCookieSecret(store)]);
		expect(first).toHaveLength(32);
		expect(second).toEqual(first);
		expect(await store.meta.get('deviceCookieSecret')).toBe(first.toString('base64url'));
	});

	it('use the secret a store already holds', async () => {
		store = await openTestStore();
		await store.meta.set('deviceCookieSecret', SECRET.toString('base64url'));
		expect(await readDeviceCookieSecret(store)).toEqual(SECRET);
	});
});
