/**
 * Member passwords: scrypt (node:crypto), a fresh 16-byte salt each time, stored as one string
 * `scrypt$N$r$p$salt$hash` (base64url) so the parameters can be raised later without breaking old hashes.
 * Verification compares in constant time and never throws on a malformed stored string (it answers false).
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
	/** CPU/memory cost, a power of two. */
	N: number;
	r: number;
	p: number;
}

/** About 50-100 ms and 32 MiB on a small server: slow for a guesser, fine for a sign-in. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** Longer inputs are refused before hashing: scrypt's cost must not be the attacker's lever. */
export const MAX_PASSWORD_LENGTH = 1024;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
	const options: ScryptOptions = {
		N: params.N,
		r: params.r,
		p: params.p,
		maxmem: 256 * params.N * params.r + 1024
	};
	return new Promise((resolve, reject) =>
		scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) =>
			error ? reject(error) : resolve(key)
		)
	);
}

/** Hashes a password; the result holds the salt and the parameters. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
	if (password.length === 0) throw new Error('password: a password cannot be empty.');
	if (password.length > MAX_PASSWORD_LENGTH)
		throw new Error(`password: at most ${MAX_PASSWORD_LENGTH} characters.`);
	const salt = randomBytes(SALT_LENGTH);
	const key = await derive(password, salt, params);
	return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join(
		'$'
	);
}

const STORED = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{16,128})$/;

/** Whether `password` matches `stored`; false for a malformed stored string or an over-long password. */
export async function checkPassword(password: string, stored: string): Promise<boolean> {
	const match = STORED.exec(stored);
	if (!match || password.length > MAX_PASSWORD_LENGTH) return false;
	const [, n, r, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
	const params = { N: Number(n), r: Number(r), p: Number(p) };
	// Parameters read from the database still get bounds, so a corrupted row cannot make us allocate gigabytes.
	if (params.N < 2 || params.N > 2 ** 20 || (params.N & (params.N - 1)) !== 0 || params.r < 1 || params.p < 1)
		return false;
	const expected = Buffer.from(hash, 'base64url');
	const given = await derive(password, Buffer.from(salt, 'base64url'), params).catch(() => null);
	if (!given || given.length !== expected.length) return false;
	return timingSafeEqual(given, expected);
}
