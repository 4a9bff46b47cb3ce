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
 * guesses per second that remain are worked out in docs/security.md, "Sign-in". In memory, per process.
 */
import { addressKey } from '../http/client-address';
import { GrowingDelays, type DelayOptions } from './delays';
import { foldEmail, MAX_EMAIL_LENGTH } from './email';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export interface BrakeOptions {
	address: DelayOptions;
	account: DelayOptions;
	/** `free` is how many failures a trusted browser may make before it loses its exemption; only `free`, `forgetMs` and `maxEntries` matter. */
	device: DelayOptions;
}

export const DEFAULT_BRAKE: BrakeOptions = {
	address: { free: 3, baseMs: SECOND, capMs: MINUTE, forgetMs: 15 * MINUTE, maxEntries: 10_000 },
	account: { free: 10, baseMs: SECOND, capMs: 5 * MINUTE, forgetMs: 24 * HOUR, maxEntries: 10_000 },
	device: { free: 5, baseMs: SECOND, capMs: MINUTE, forgetMs: 24 * HOUR, maxEntries: 10_000 }
};

export interface BrakeAttempt {
	/** As `getClientAddress()` gives it. */
	clientAddress: string;
	/** As typed: the brake keys it by its normal form. */
	email: string;
	/** The nonce of a device token verified for this account (findDeviceToken), else null. */
	device: string | null;
}

/** What was charged for an attempt let through, to settle when its outcome is known. */
export interface BrakePass {
	readonly address: string;
	readonly account: string;
	readonly device: string | null;
}

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

	/** The address's own wait, checked before any lookup so a hammering address costs no database read. */
	addressWaitMs(clientAddress: string, now: number): number {
		return this.address.waitMs(addressKey(clientAddress), now);
	}

	/**
	 * Lets the attempt through now, charging it, or says how long to wait (the longest of the waits that apply).
	 * Synchronous from check to charge, so concurrent attempts are counted one by one.
	 */
	admit(attempt: BrakeAttempt, now: number): Admission {
		const address = addressKey(attempt.clientAddress);
		const account = foldEmail(attempt.email).slice(0, MAX_EMAIL_LENGTH);
		// A trusted browser's failures count against its own cookie instead of the account.
		const device =
			attempt.device !== null && this.device.count(attempt.device, now) < this.device.options.free
				? attempt.device
				: null;
		const accountWait = device === null ? this.account.waitMs(account, now) : 0;
		const wait = Math.max(this.address.waitMs(address, now), accountWait);
		if (wait > 0) return { ok: false, retryAfterMs: wait };
		this.address.charge(address, now);
		if (device !== null) this.device.charge(device, now);
		else this.account.charge(account, now);
		return { ok: true, pass: { address, account, device } };
	}

	/** The attempt had the right password: its address and device start afresh; the account gets this attempt back. */
	succeeded(pass: BrakePass): void {
		this.address.clear(pass.address);
		if (pass.device !== null) this.device.clear(pass.device);
		else this.account.refund(pass.account);
	}
}

/** The brake of this server process, shared by every sign-in. */
export const signInBrake = new SignInBrake();
