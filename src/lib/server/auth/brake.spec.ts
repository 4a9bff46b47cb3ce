import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase, openTestStore } from '$factories/store';
import { addressKey } from '../http/client-address';
import { openSqliteStore } from '../store/sqlite/sqlite-store';
import type { Store } from '../store/store';
import { BRAKE_SCOPES, SignInBrake } from './brake';
import { throttleKeys } from './throttle-keys';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const opened: Store[] = [];
afterEach(async () => {
	for (const store of opened.splice(0)) await store.close();
});

async function open(file?: string): Promise<Store> {
	const store = await openTestStore(file ? { file } : {});
	opened.push(store);
	return store;
}

/** Attempts counted for one raw key of the brake, read from the store as a process would. */
async function countOf(
	store: Store,
	brake: SignInBrake,
	kind: keyof typeof BRAKE_SCOPES,
	raw: string,
	now: number
): Promise<number> {
	const [key = ''] = await throttleKeys(store, BRAKE_SCOPES[kind], [raw]);
	return brake[kind].count((await store.throttles.get(BRAKE_SCOPES[kind], [key], now)).get(key), now);
}

/**
 * How many guesses get checked by each point in time when an attacker tries again as soon as the brake allows,
 * from `attacker(i)` for the i-th guess (no device cookie). On SQLite in memory whatever the project: these
 * are the brake's rules counted over thousands of sequential attempts, the same on either engine, where
 * PostgreSQL's round trips took over a minute on two busy cores; how the store keeps the counts is the rest of
 * this file's, on both engines, and the throttles contract's.
 */
async function guessesBy(
	marks: number[],
	attacker: (i: number) => { clientAddress: string; email: string }
): Promise<number[]> {
	const store = await openSqliteStore({ file: ':memory:' });
	opened.push(store);
	const brake = new SignInBrake();
	const counts: number[] = [];
	let guesses = 0;
	let now = 0;
	for (const mark of marks) {
		for (;;) {
			const admission = await brake.admit(store, { ...attacker(guesses), device: null }, now);
			if (admission.ok) guesses += 1;
			else if (now + admission.retryAfterMs < mark) now += admission.retryAfterMs;
			else break;
		}
		counts.push(guesses);
	}
	return counts;
}

describe('the sign-in brake', () => {
	it('keeps no email nor address in the store, and sweeps forgotten keys as attempts come', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'escale-brake-'));
		try {
			const file = join(dir, 'escale.sqlite');
			const store = await open(file);
			const brake = new SignInBrake();
			for (let i = 0; i < 500; i++) {
				const clientAddress = `10.0.${(i >> 8) & 255}.${i & 255}`;
				await brake.admit(store, { clientAddress, email: `personne-${i}@exemple.fr`, device: null }, i);
			}
			expect(await store.throttles.count()).toBe(1000);
			const raw = openTestDatabase({ file });
			const rows = JSON.stringify(raw.prepare('SELECT * FROM throttles').all());
			raw.close();
			expect(rows).not.toMatch(/exemple|personne|10\.0\./);

			// A day later every one of them is forgotten: each attempt let through sweeps 20 and adds its own 2.
			for (let i = 0; i < 3; i++) {
				const attempt = { clientAddress: '192.0.2.1', email: `x${i}@exemple.fr`, device: null };
				expect((await brake.admit(store, attempt, DAY + i)).ok).toBe(true);
			}
			expect(await store.throttles.count()).toBe(1000 - 3 * 20 + 1 + 3);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('answers with the longest of the waits that apply, and charges nothing when it refuses', async () => {
		const store = await open();
		const brake = new SignInBrake();
		const attempt = { clientAddress: '192.0.2.1', email: 'a@exemple.fr', device: null };
		let now = 0;
		for (let i = 0; i < 14; i++) {
			const admission = await brake.admit(store, { ...attempt, clientAddress: `192.0.2.${i + 10}` }, now);
			if (!admission.ok) {
				now += admission.retryAfterMs;
				expect((await brake.admit(store, { ...attempt, clientAddress: `192.0.2.${i + 10}` }, now)).ok).toBe(
					true
				);
			}
		}
		for (let i = 0; i < 3; i++) {
			expect((await brake.admit(store, { ...attempt, email: 'b@exemple.fr' }, now)).ok).toBe(true);
		}
		// The account has 14 failures (it waits 16 s), the address 3 (it waits 1 s).
		expect(await brake.admit(store, { ...attempt, email: 'c@exemple.fr' }, now)).toEqual({
			ok: false,
			retryAfterMs: 1000
		});
		expect(await brake.admit(store, attempt, now)).toEqual({ ok: false, retryAfterMs: 16_000 });
		expect(await brake.admit(store, { ...attempt, clientAddress: '198.51.100.1' }, now)).toEqual({
			ok: false,
			retryAfterMs: 16_000
		});
		expect(await countOf(store, brake, 'address', addressKey('192.0.2.1'), now)).toBe(3);
		expect(await countOf(store, brake, 'account', 'a@exemple.fr', now)).toBe(14);
		expect(await countOf(store, brake, 'account', 'c@exemple.fr', now)).toBe(0);
	});

	it('holds across processes: a brake earned through one is felt through another on the same database', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'escale-brake-'));
		try {
			const file = join(dir, 'escale.sqlite');
			const [one, two] = [await open(file), await open(file)];
			const brake = new SignInBrake();
			const attempt = { clientAddress: '203.0.113.7', email: 'claire@exemple.fr', device: null };
			for (let i = 0; i < 3; i++) expect((await brake.admit(i % 2 ? one : two, attempt, 0)).ok).toBe(true);
			expect(await brake.admit(two, attempt, 0)).toEqual({ ok: false, retryAfterMs: 1000 });
			expect(await brake.admit(one, attempt, 0)).toEqual({ ok: false, retryAfterMs: 1000 });
			expect(await brake.addressWaitMs(one, '203.0.113.7', 500)).toBe(500);
			// A success through one clears the address for both.
			const pass = await brake.admit(one, attempt, 1000);
			if (!pass.ok) throw new Error('expected the attempt to be let through');
			await brake.succeeded(one, pass.pass, 1000);
			expect(await brake.addressWaitMs(two, '203.0.113.7', 1000)).toBe(0);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('leaves an attacker the guesses docs/security.md states', async () => {
		const marks = [MINUTE, HOUR, DAY, 2 * DAY];
		const someAddress = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
		const oneAddressOneAccount = await guessesBy(marks, () => ({
			clientAddress: '192.0.2.1',
			email: 'a@x.fr'
		}));
		const manyAddressesOneAccount = await guessesBy(marks, (i) => ({
			clientAddress: someAddress(i),
			email: 'a@x.fr'
		}));
		const oneAddressManyAccounts = await guessesBy(marks, (i) => ({
			clientAddress: '192.0.2.1',
			email: `a${i}@x.fr`
		}));
		expect(oneAddressOneAccount).toEqual([8, 27, 303, 591]);
		expect(manyAddressesOneAccount).toEqual([15, 29, 305, 593]);
		expect(oneAddressManyAccounts).toEqual([8, 67, 1447, 2887]);
		// Afterwards: one guess per 5 minutes on an account (288 a day), one per minute from an address (1,440).
		expect(oneAddressOneAccount[3]! - oneAddressOneAccount[2]!).toBe(288);
		expect(manyAddressesOneAccount[3]! - manyAddressesOneAccount[2]!).toBe(288);
		expect(oneAddressManyAccounts[3]! - oneAddressManyAccounts[2]!).toBe(1440);
	}, 60_000);
});
