/**
 * The sign-in brake: growing delays instead of a lock-out, so an attacker can slow a coordinator's sign-in but
 * never refuse their right password for long, and never on their usual browser.
 *
 * - Per client address (http/client-address.ts): 3 free attempts, then 1 s, 2 s, 4 s... up to 1 min between
 *   attempts; forgotten after 15 min without one; cleared by a success from that address.
 * - Per account (the email's normal form, whether or not an account has it, so the brake tells nothing about
 *   who has one): failures from every address, 10 free, then 1 s, 2 s... up to 5 min; forgotten after 24 h.
 *   A browser holding a valid device cookie for that account (auth/device-cookie.ts) is exempt from it.
 * - Per device cookie: a browser keeps its exemption for 5 failures (forgotten after 24 h, cleared by its next
 *   success), then falls back to the account's brake: a stolen cookie buys few guesses.
 *
 * An attempt that comes too early is refused before its password is even hashed and costs nothing. The
 * guesses per second that remain are worked out in docs/security.md, "Sign-in".
 *
 * The counts live in the store's throttles (keys hashed: auth/throttle-keys.ts), read and charged in one
 * transaction, so every process of one database brakes as one would, and a restart forgets nothing.
 */
import { addressKey } from '../http/client-address';
import type { Store, StoreTransaction, ThrottleState } from '../store/store';
import { GrowingDelays, type DelayOptions } from './delays';
import { foldEmail, MAX_EMAIL_LENGTH } from './email';
import { throttleKeys } from './throttle-keys';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export interface BrakeOptions {
	address: DelayOptions;
	account: DelayOptions;
	/** `free` is how many failures a trusted browser may make before it loses its exemption; only `free` and `forgetMs` matter. */
	device: DelayOptions;
}

export const DEFAULT_BRAKE: BrakeOptions = {
	address: { free: 3, baseMs: SECOND, capMs: MINUTE, forgetMs: 15 * MINUTE },
	account: { free: 10, baseMs: SECOND, capMs: 5 * MINUTE, forgetMs: 24 * HOUR },
	device: { free: 5, baseMs: SECOND, capMs: MINUTE, forgetMs: 24 * HOUR }
};

export interface BrakeAttempt {
	/** As `getClientAddress()` gives it. */
	clientAddress: string;
	/** As typed: the brake keys it by its normal form. */
	email: string;
	/** The nonce of a device token verified for this account (findDeviceToken), else null. */
	device: string | null;
}

/** What was charged for an attempt let through (hashed keys), to settle when its outcome is known. */
export interface BrakePass {
	readonly address: string;
	readonly account: string;
	readonly device: string | null;
}

/** The store's throttle scopes of the brake. */
export const BRAKE_SCOPES = {
	address: 'signin.address',
	account: 'signin.account',
	device: 'signin.device'
} as const;
const SCOPE = BRAKE_SCOPES;
type Kind = keyof typeof SCOPE;

/** Forgotten rows deleted by each attempt let through: more than the two an attempt can add, so they never pile up. */
const SWEEP_PER_ATTEMPT = 20;

export type Admission = { ok: true; pass: BrakePass } | { ok: false; retryAfterMs: number };

export class SignInBrake {
	readonly address: GrowingDelays;
	readonly account: GrowingDelays;
	readonly device: GrowingDelays;

	constructor(options: BrakeOptions = DEFAULT_BRAKE) {
		this.address = new GrowingDelays(options.address);
		this.account = new GrowingDelays(options.account);
		this.device = new GrowingDelays(options.device);
	}

	/** The address's own wait, checked before any lookup so a hammering address costs no account read. */
	async addressWaitMs(store: Store, clientAddress: string, now: number): Promise<number> {
		const [key] = await throttleKeys(store, SCOPE.address, [addressKey(clientAddress)]);
		const state = key === undefined ? undefined : await read(store, 'address', key, now);
		return this.address.waitMs(state, now);
	}

	/**
	 * Lets the attempt through now, charging it, or says how long to wait (the longest of the waits that apply).
	 * One store transaction from check to charge, so concurrent attempts, in this process or another, are
	 * counted one by one.
	 */
	async admit(store: Store, attempt: BrakeAttempt, now: number): Promise<Admission> {
		const [address = '', account = '', device = null] = await Promise.all([
			hashed(store, 'address', addressKey(attempt.clientAddress)),
			hashed(store, 'account', foldEmail(attempt.email).slice(0, MAX_EMAIL_LENGTH)),
			attempt.device === null ? null : hashed(store, 'device', attempt.device)
		]);
		return store.transaction(async (tx) => {
			await tx.throttles.lock([
				{ scope: SCOPE.address, key: address },
				{ scope: SCOPE.account, key: account },
				...(device === null ? [] : [{ scope: SCOPE.device, key: device }])
			]);
			// A trusted browser's failures count against its own cookie instead of the account.
			const deviceState = device === null ? undefined : await read(tx, 'device', device, now);
			const trusted = device !== null && this.device.count(deviceState, now) < this.device.options.free;
			const accountState = trusted ? undefined : await read(tx, 'account', account, now);
			const addressState = await read(tx, 'address', address, now);
			const accountWait = trusted ? 0 : this.account.waitMs(accountState, now);
			const wait = Math.max(this.address.waitMs(addressState, now), accountWait);
			if (wait > 0) return { ok: false, retryAfterMs: wait };
			await this.#write(tx, 'address', address, this.address.charged(addressState, now));
			if (trusted) await this.#write(tx, 'device', device, this.device.charged(deviceState, now));
			else await this.#write(tx, 'account', account, this.account.charged(accountState, now));
			await tx.throttles.sweep(now, SWEEP_PER_ATTEMPT);
			return { ok: true, pass: { address, account, device: trusted ? device : null } };
		});
	}

	/** The attempt had the right password: its address and device start afresh; the account gets this attempt back. */
	async succeeded(store: Store, pass: BrakePass, now: number): Promise<void> {
		await store.transaction(async (tx) => {
			await tx.throttles.lock([
				{ scope: SCOPE.address, key: pass.address },
				{ scope: SCOPE.account, key: pass.account }
			]);
			await tx.throttles.delete(SCOPE.address, pass.address);
			if (pass.device !== null) {
				await tx.throttles.delete(SCOPE.device, pass.device);
				return;
			}
			const refunded = this.account.refunded(await read(tx, 'account', pass.account, now));
			if (refunded) await this.#write(tx, 'account', pass.account, refunded);
			else await tx.throttles.delete(SCOPE.account, pass.account);
		});
	}

	#write(tx: StoreTransaction, kind: Kind, key: string, state: ThrottleState): Promise<void> {
		return tx.throttles.put(SCOPE[kind], key, state, this[kind].forgetAt(state));
	}
}

async function hashed(store: Store, kind: Kind, raw: string): Promise<string> {
	const [key] = await throttleKeys(store, SCOPE[kind], [raw]);
	if (key === undefined) throw new Error('no throttle key');
	return key;
}

async function read(
	store: StoreTransaction,
	kind: Kind,
	key: string,
	now: number
): Promise<ThrottleState | undefined> {
	return (await store.throttles.get(SCOPE[kind], [key], now)).get(key);
}

/** The brake's rules, the same in every process; its counts are in the store. */
export const signInBrake = new SignInBrake();
