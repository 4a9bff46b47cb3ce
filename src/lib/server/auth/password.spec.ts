import { describe, expect, it } from 'vitest';
import { checkPassword, hashPassword } from './password';

/** Cheaper parameters than production, same code path. */
const FAST = { N: 1024, r: 8, p: 1 };

describe('password hashing', () => {
	it('verifies the right password and refuses a wrong one', async () => {
		const stored = await hashPassword('correct horse battery', FAST);
		expect(await checkPassword('correct horse battery', stored)).toBe(true);
		expect(await checkPassword('correct horse batterY', stored)).toBe(false);
		expect(await checkPassword('', stored)).toBe(false);
	});

	it('stores the parameters and a fresh salt, never the password', async () => {
		const a = await hashPassword('même mot de passe', FAST);
		const b = await hashPassword('même mot de passe', FAST);
		expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
		expect(a).not.toBe(b);
		expect(a).not.toContain('mot');
	});

	it('uses the default, slower parameters when none are given', async () => {
		const stored = await hashPassword('escale-demo');
		expect(stored.startsWith('scrypt$32768$8$1$')).toBe(true);
		expect(await checkPassword('escale-demo', stored)).toBe(true);
	});

	it('answers false, without throwing, for a malformed or absurd stored hash', async () => {
		const good = await hashPassword('un mot de passe', FAST);
		const parts = good.split('$');
		for (const stored of [
			'',
			'plain-text-password',
			good.replace('scrypt', 'bcrypt'),
			[...parts.slice(0, 1), '1000', ...parts.slice(2)].join('$'),
			[...parts.slice(0, 1), String(2 ** 24), ...parts.slice(2)].join('$'),
			good.slice(0, -10)
		]) {
			expect(await checkPassword('un mot de passe', stored)).toBe(false);
		}
	});

	it('refuses an empty or over-long password before hashing', async () => {
		await expect(hashPassword('', FAST)).rejects.toThrow(/password/);
		await expect(hashPassword('x'.repeat(1025), FAST)).rejects.toThrow(/password/);
		expect(await checkPassword('x'.repeat(1025), await hashPassword('x', FAST))).toBe(false);
	});
});
