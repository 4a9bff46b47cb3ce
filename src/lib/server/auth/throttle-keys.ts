/**
 * The keys the store's throttles are kept under (auth/brake.ts, sync/enroll-limits.ts): HMAC-SHA-256 of the
 * scope and the raw key (a client address's /64 or /32, an email's normal form, a device nonce) under the
 * server's throttle secret, 128 bits in base64url. The database never holds an address or an email, and a
 * copy of it cannot be searched for one without the secret (an address alone has only 2^32 values).
 */
import { createHmac } from 'node:crypto';
import type { Store } from '../store/store';
import { readServerSecret } from './server-secret';

export async function throttleKeys(store: Store, scope: string, raws: readonly string[]): Promise<string[]> {
	const secret = await readServerSecret(store, 'throttleKeySecret');
	return raws.map((raw) =>
		createHmac('sha256', secret)
			.update(`${scope}\u0000${raw}`, 'utf8')
			.digest()
			.subarray(0, 16)
			.toString('base64url')
	);
}
