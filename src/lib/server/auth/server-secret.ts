/**
 * Server secrets kept in the store's meta table: 256 random bits each, made on first use and shared by every
 * process of one database (so a cookie signed by one process verifies on another). Read once per process and
 * store.
 */
import { randomBytes } from 'node:crypto';
import type { MetaKey, Store } from '../store/store';

export type SecretKey = Extract<MetaKey, 'deviceCookieSecret' | 'throttleKeySecret'>;

const SECRET = /^[A-Za-z0-9_-]{43}$/;
const cache = new WeakMap<Store, Map<SecretKey, Promise<Buffer>>>();

/** The secret `key` of `store`, made and saved on first use. */
export function readServerSecret(store: Store, key: SecretKey): Promise<Buffer> {
	let secrets = cache.get(store);
	if (!secrets) {
		secrets = new Map();
		cache.set(store, secrets);
	}
	let secret = secrets.get(key);
	if (!secret) {
		secret = loadSecret(store, key);
		secrets.set(key, secret);
		const known = secrets;
		secret.catch(() => known.delete(key));
	}
	return secret;
}

async function loadSecret(store: Store, key: SecretKey): Promise<Buffer> {
	// Claimed, not read then written: two first uses at once, in two processes, keep the secret written first
	// (on PostgreSQL two transactions could both read nothing, and each keep its own).
	const held = await store.meta.claim(key, randomBytes(32).toString('base64url'));
	if (SECRET.test(held)) return Buffer.from(held, 'base64url');
	// Not a secret this code wrote (an edited row): replaced, once, under the write lock of a transaction.
	return store.transaction(async (tx) => {
		const stored = await tx.meta.get(key);
		if (stored !== null && SECRET.test(stored)) return Buffer.from(stored, 'base64url');
		const fresh = randomBytes(32).toString('base64url');
		await tx.meta.set(key, fresh);
		return Buffer.from(fresh, 'base64url');
	});
}
