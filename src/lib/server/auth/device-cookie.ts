/**
 * Device cookies (OWASP's "device cookie" against account lock-out): a browser that signed in to an account
 * keeps a signed token that exempts it from that account's brake, so failures elsewhere never slow the person
 * on their usual browser. A token is `issuedAt.nonce.mac`: issuedAt in seconds (base 36), a 128-bit random
 * nonce, and the first 128 bits of HMAC-SHA-256 over the account's id, issuedAt and the nonce, under a 256-bit
 * server secret kept in the store's meta table. It names no one: the account is whichever one it verifies
 * against. One cookie holds the tokens of up to five accounts (a shared office computer), newest first.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readServerSecret } from './server-secret';
import type { Store } from '../store/store';

export const DEVICE_COOKIE = 'escale_device';
/** Checked on the signed issuedAt, not only on the cookie's own expiry, which the browser controls. */
export const DEVICE_COOKIE_TTL_MS = 180 * 24 * 60 * 60 * 1000;
const MAX_TOKENS = 5;
const MAX_COOKIE_LENGTH = 1024;
const TOKEN = /^([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/;

interface DeviceToken {
	text: string;
	/** Seconds since the epoch. */
	issuedAt: number;
	nonce: string;
	mac: Buffer;
}

/** The signing secret of `store`, made and saved on first use (read once per process). */
export function readDeviceCookieSecret(store: Store): Promise<Buffer> {
	return readServerSecret(store, 'deviceCookieSecret');
}

function sign(secret: Buffer, accountId: string, issuedAt: number, nonce: string): Buffer {
	return createHmac('sha256', secret)
		.update(`escale-device:v1:${accountId}:${issuedAt.toString(36)}:${nonce}`, 'utf8')
		.digest()
		.subarray(0, 16);
}

/** The well-formed, unexpired tokens of a cookie value (unsigned yet); none for a value too long. */
function readTokens(value: string | undefined, now: number): DeviceToken[] {
	if (!value || value.length > MAX_COOKIE_LENGTH) return [];
	const tokens: DeviceToken[] = [];
	for (const text of value.split('~').slice(0, MAX_TOKENS)) {
		const match = TOKEN.exec(text);
		if (!match) continue;
		const [, issued = '', nonce = '', mac = ''] = match;
		const issuedAt = parseInt(issued, 36);
		if (now - issuedAt * 1000 >= DEVICE_COOKIE_TTL_MS) continue;
		tokens.push({ text, issuedAt, nonce, mac: Buffer.from(mac, 'base64url') });
	}
	return tokens;
}

function verifies(token: DeviceToken, secret: Buffer, accountId: string): boolean {
	const expected = sign(secret, accountId, token.issuedAt, token.nonce);
	return token.mac.length === expected.length && timingSafeEqual(token.mac, expected);
}

/**
 * The nonce of the cookie's token for `accountId` (the key of that browser's own failure count), or null if
 * none verifies: missing, malformed, expired, forged, or another account's.
 */
export function findDeviceToken(
	value: string | undefined,
	secret: Buffer,
	accountId: string,
	now: number
): string | null {
	return readTokens(value, now).find((token) => verifies(token, secret, accountId))?.nonce ?? null;
}

/** The cookie value after a successful sign-in to `accountId`: a fresh token first, the other accounts' kept. */
export function issueDeviceCookie(
	value: string | undefined,
	secret: Buffer,
	accountId: string,
	now: number
): string {
	const issuedAt = Math.floor(now / 1000);
	const nonce = randomBytes(16).toString('base64url');
	const fresh = `${issuedAt.toString(36)}.${nonce}.${sign(secret, accountId, issuedAt, nonce).toString('base64url')}`;
	const others = readTokens(value, now)
		.filter((token) => !verifies(token, secret, accountId))
		.map((token) => token.text);
	return [fresh, ...others].slice(0, MAX_TOKENS).join('~');
}
