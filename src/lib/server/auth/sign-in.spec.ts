import { afterEach, describe, expect, it } from 'vitest';
import { openTestStore } from '$factories/store';
import type { Store } from '../store/store';
import { SignInBrake } from './brake';
import { createMember, signIn, type SignInAttempt, type SignInResult } from './members';
import { DEVICE_COOKIE_TTL_MS } from './device-cookie';

const FAST = { N: 1024, r: 8, p: 1 };
const T0 = Date.parse('2026-03-10T09:00:00.000Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const CLAIRE = 'claire.martin@exemple.fr';
const BRUNO = 'bruno.petit@exemple.fr';
const RIGHT = 'un long mot de passe';
const CLAIRE_HOME = '198.51.100.20';
const ATTACKER = '203.0.113.7';

let store: Store | null = null;
afterEach(async () => {
	await store?.close();
	store = null;
});

interface Setup {
	store: Store;
	brake: SignInBrake;
	/** Signs in at T0 + `ms`; by default Claire, a wrong password, from the attacker's address, no cookie. */
	attempt(ms: number, over?: Partial<SignInAttempt>): Promise<SignInResult>;
	/** Claire's device cookie, from a successful sign-in at her usual address at T0. */
	claireCookie(): Promise<string>;
}

async function setUp(): Promise<Setup> {
	const opened = await openTestStore();
	store = opened;
	for (const [email, name] of [
		[CLAIRE, 'Claire Martin'],
		[BRUNO, 'Bruno Petit']
	] as const) {
		await createMember(opened, { email, name, password: RIGHT }, () => new Date(T0), FAST);
	}
	const brake = new SignInBrake();
	const attempt = (ms: number, over: Partial<SignInAttempt> = {}) =>
		signIn(
			opened,
			brake,
			{ email: CLAIRE, password: 'faux', clientAddress: ATTACKER, deviceCookie: undefined, ...over },
			() => new Date(T0 + ms)
		);
	const claireCookie = async () =>
		cookieOf(await attempt(0, { password: RIGHT, clientAddress: CLAIRE_HOME }));
	return { store: opened, brake, attempt, claireCookie };
}

function cookieOf(result: SignInResult): string {
	if (!result.ok) throw new Error(`expected a successful sign-in, got ${result.reason}`);
	return result.deviceCookie;
}

const invalid: SignInResult = { ok: false, reason: 'invalid' };
const throttled = (retryAfterSeconds: number): SignInResult => ({
	ok: false,
	reason: 'throttled',
	retryAfterSeconds
});

/** Fails Claire's account from as many fresh addresses, one failure each, so only the account's brake counts. */
async function failFromManyAddresses(setup: Setup, count: number, at: number): Promise<void> {
	for (let i = 0; i < count; i++) {
		expect(await setup.attempt(at, { clientAddress: `192.0.2.${i + 1}` })).toEqual(invalid);
	}
}

describe('signing in behind the brake', () => {
	it('lets the right password in after 5 wrong ones in a quarter second, from another address and from a browser that signed in before', async () => {
		const setup = await setUp();
		const cookie = await setup.claireCookie();
		// The outside testers' burst: five wrong passwords at once from one address.
		const burst = await Promise.all([0, 50, 100, 150, 200].map((ms) => setup.attempt(1000 + ms)));
		expect(burst.filter((r) => !r.ok && r.reason === 'invalid')).toHaveLength(3);
		// The two braked wait 1 s from the latest of the three let through; the burst's clocks span 200 ms and
		// concurrent attempts may be handled in any order (two processes, a pool), so that is 1 or 2 s rounded up.
		const braked = burst.filter((r) => !r.ok && r.reason === 'throttled');
		expect(braked).toHaveLength(2);
		for (const result of braked) expect([throttled(1), throttled(2)]).toContainEqual(result);
		const fromElsewhere = await setup.attempt(1250, { password: RIGHT, clientAddress: '192.0.2.44' });
		expect(fromElsewhere).toMatchObject({ ok: true, member: { email: CLAIRE } });
		const fromHerBrowser = await setup.attempt(1250, {
			password: RIGHT,
			clientAddress: CLAIRE_HOME,
			deviceCookie: cookie
		});
		expect(fromHerBrowser).toMatchObject({ ok: true, member: { email: CLAIRE } });
	});

	it('makes an address that keeps failing wait 1 s, 2 s, 4 s... up to 1 min, without checking what it sends too early', async () => {
		const setup = await setUp();
		for (let i = 0; i < 3; i++) expect(await setup.attempt(0)).toEqual(invalid);
		let last = 0;
		for (const wait of [1, 2, 4, 8, 16, 32, 60, 60]) {
			expect(await setup.attempt(last)).toEqual(throttled(wait));
			// Even the right password is refused unheard a moment before the time, and does not move it.
			expect(await setup.attempt(last + wait * SECOND - 1, { password: RIGHT })).toEqual(throttled(1));
			last += wait * SECOND;
			expect(await setup.attempt(last)).toEqual(invalid);
		}
		expect(await setup.attempt(last + MINUTE, { password: RIGHT })).toMatchObject({ ok: true });
		// A success clears the address: it may fail 3 times again without waiting.
		for (let i = 0; i < 3; i++) expect(await setup.attempt(last + MINUTE, { email: BRUNO })).toEqual(invalid);
	});

	it('counts every email tried from one address against that address', async () => {
		const setup = await setUp();
		expect(await setup.attempt(0)).toEqual(invalid);
		expect(await setup.attempt(0, { email: BRUNO })).toEqual(invalid);
		expect(await setup.attempt(0, { email: 'personne@exemple.fr' })).toEqual(invalid);
		expect(await setup.attempt(0, { email: BRUNO, password: RIGHT })).toEqual(throttled(1));
		// A neighbouring address is not slowed; the same address written as IPv6 is.
		expect(
			await setup.attempt(0, { email: BRUNO, password: RIGHT, clientAddress: '203.0.113.8' })
		).toMatchObject({ ok: true });
		expect(await setup.attempt(0, { email: BRUNO, clientAddress: `::ffff:${ATTACKER}` })).toEqual(
			throttled(1)
		);
	});

	it('slows the untrusted browsers of an account failed from many addresses, never its signed-in browser nor another account', async () => {
		const setup = await setUp();
		const cookie = await setup.claireCookie();
		await failFromManyAddresses(setup, 10, MINUTE);
		const fresh = '192.0.2.200';
		expect(await setup.attempt(MINUTE, { clientAddress: fresh, password: RIGHT })).toEqual(throttled(1));
		expect(
			await setup.attempt(MINUTE, { clientAddress: fresh, password: RIGHT, deviceCookie: cookie })
		).toMatchObject({ ok: true });
		expect(
			await setup.attempt(MINUTE, { clientAddress: fresh, email: BRUNO, password: RIGHT })
		).toMatchObject({
			ok: true
		});
		// The same brake holds for an email no account has, so it tells no one who has an account. (Its failures
		// are charged to the brake directly here: each checked one costs a full-strength decoy hash.)
		const nobody = { email: 'personne@exemple.fr', device: null };
		for (let i = 0; i < 10; i++) {
			await setup.brake.admit(
				setup.store,
				{ ...nobody, clientAddress: `198.51.100.${i + 100}` },
				T0 + MINUTE
			);
		}
		expect(await setup.attempt(MINUTE, { email: ' Personne@Exemple.fr', clientAddress: fresh })).toEqual(
			throttled(1)
		);
	});

	it('never makes the right password wait more than 5 minutes, however long the attack', async () => {
		const setup = await setUp();
		await failFromManyAddresses(setup, 10, 0);
		let now = 0;
		let longest = 0;
		for (let i = 0; i < 40; i++) {
			const early = await setup.attempt(now, { clientAddress: `192.0.2.${100 + i}` });
			if (early.ok || early.reason !== 'throttled') throw new Error('expected the account to be braked');
			longest = Math.max(longest, early.retryAfterSeconds);
			now += early.retryAfterSeconds * SECOND;
			expect(await setup.attempt(now, { clientAddress: `192.0.2.${100 + i}` })).toEqual(invalid);
		}
		expect(longest).toBe(300);
		expect(await setup.attempt(now, { password: RIGHT, clientAddress: '198.51.100.99' })).toEqual(
			throttled(300)
		);
		expect(
			await setup.attempt(now + 5 * MINUTE, { password: RIGHT, clientAddress: '198.51.100.99' })
		).toMatchObject({ ok: true });
	});

	it('reaches one account and one brake key whatever the spelling of the email', async () => {
		const setup = await setUp();
		const spellings = [
			' Claire.Martin@Exemple.FR ',
			'ｃｌａｉｒｅ．ｍａｒｔｉｎ＠ｅｘｅｍｐｌｅ．ｆｒ',
			'claire.mar\u200btin@exemple.fr',
			'claire.martin\u00a0@exemple.fr',
			'CLAIRE.MARTIN@EXEMPLE.FR'
		];
		for (const [i, email] of spellings.entries()) {
			expect(
				await setup.attempt(0, { email, password: RIGHT, clientAddress: `192.0.2.${i + 1}` })
			).toMatchObject({
				ok: true,
				member: { email: CLAIRE }
			});
		}
		for (const [i, email] of [...spellings, ...spellings].entries()) {
			expect(await setup.attempt(MINUTE, { email, clientAddress: `198.51.100.${i + 1}` })).toEqual(invalid);
		}
		expect(await setup.attempt(MINUTE, { clientAddress: '198.51.100.200' })).toEqual(throttled(1));
	});

	it('gives no exemption to a forged, altered, other account’s or expired device cookie', async () => {
		const setup = await setUp();
		const cookie = await setup.claireCookie();
		const brunos = cookieOf(
			await setup.attempt(0, { email: BRUNO, password: RIGHT, clientAddress: '192.0.2.250' })
		);
		const [issued, nonce, mac] = cookie.split('.') as [string, string, string];
		const flip = (text: string) => (text.startsWith('A') ? 'B' : 'A') + text.slice(1);
		await failFromManyAddresses(setup, 10, MINUTE);
		const untrusted = [
			`${issued}.${'A'.repeat(22)}.${'A'.repeat(22)}`,
			`${issued}.${nonce}.${flip(mac)}`,
			`${issued}.${flip(nonce)}.${mac}`,
			`${(parseInt(issued, 36) + 1).toString(36)}.${nonce}.${mac}`,
			`${cookie}~`.repeat(60),
			brunos
		];
		for (const deviceCookie of untrusted) {
			const attempt = { password: RIGHT, clientAddress: '198.51.100.77', deviceCookie };
			expect(await setup.attempt(MINUTE, attempt)).toEqual(throttled(1));
		}
		const genuine = { password: RIGHT, clientAddress: '198.51.100.77', deviceCookie: cookie };
		expect(await setup.attempt(MINUTE, genuine)).toMatchObject({ ok: true });
		// Claire's own cookie, 180 days later: expired, whatever the browser kept.
		await failFromManyAddresses(setup, 10, DEVICE_COOKIE_TTL_MS);
		expect(await setup.attempt(DEVICE_COOKIE_TTL_MS, genuine)).toEqual(throttled(1));
	});

	it('lets a trusted browser fail 5 times before it waits like any other', async () => {
		const setup = await setUp();
		const cookie = await setup.claireCookie();
		await failFromManyAddresses(setup, 10, MINUTE);
		for (let i = 0; i < 5; i++) {
			expect(
				await setup.attempt(MINUTE, { clientAddress: `198.51.100.${i + 1}`, deviceCookie: cookie })
			).toEqual(invalid);
		}
		expect(
			await setup.attempt(MINUTE, { password: RIGHT, clientAddress: '198.51.100.50', deviceCookie: cookie })
		).toEqual(throttled(1));
	});

	it('keeps one device cookie per browser for several accounts', async () => {
		const setup = await setUp();
		const claires = await setup.claireCookie();
		const both = cookieOf(
			await setup.attempt(0, {
				email: BRUNO,
				password: RIGHT,
				clientAddress: CLAIRE_HOME,
				deviceCookie: claires
			})
		);
		expect(both.split('~')).toHaveLength(2);
		await failFromManyAddresses(setup, 10, MINUTE);
		for (let i = 0; i < 10; i++) {
			const failure = await setup.attempt(MINUTE, { email: BRUNO, clientAddress: `198.51.100.${i + 1}` });
			expect(failure).toEqual(invalid);
		}
		for (const email of [CLAIRE, BRUNO]) {
			expect(await setup.attempt(MINUTE, { email, password: RIGHT, clientAddress: '192.0.2.99' })).toEqual(
				throttled(1)
			);
			expect(
				await setup.attempt(MINUTE, {
					email,
					password: RIGHT,
					clientAddress: CLAIRE_HOME,
					deviceCookie: both
				})
			).toMatchObject({ ok: true });
		}
	});

	it('answers a wrong password and an unknown email alike', async () => {
		const setup = await setUp();
		expect(await setup.attempt(0)).toEqual(invalid);
		expect(
			await setup.attempt(0, { email: 'personne@exemple.fr', password: RIGHT, clientAddress: '192.0.2.1' })
		).toEqual(invalid);
		expect(
			await setup.attempt(0, { email: 'pas une adresse', password: RIGHT, clientAddress: '192.0.2.2' })
		).toEqual(invalid);
	});
});
