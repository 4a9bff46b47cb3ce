/**
 * The enrollment response: the device's identity and the snapshot a tablet needs to work offline. The
 * token is not in it: the tablet made the secret itself and sent only its SHA-256, so a lost answer loses
 * no secret, and the same request again (same code, same digest) gets the same device back.
 */
import * as v from 'valibot';
import type { Referral } from '$lib/domain/referral';
import type { Bus, ServiceDay, Stop } from '$lib/domain/schedule';
import { ENROLLMENT_CODE_ALPHABET, PROTOCOL_VERSIONS, type ProtocolVersion } from './protocol';
import { BusRecordSchema, ServiceDayRecordSchema, StopRecordSchema } from './records';

export const EnrollResponseSchema = v.object({
	/** The version of the request. */
	protocol: v.picklist(PROTOCOL_VERSIONS),
	deviceId: v.string(),
	bus: BusRecordSchema,
	referenceVersion: v.string(),
	serverTime: v.string(),
	snapshot: v.object({
		stops: v.array(StopRecordSchema),
		/** The bus's days from 7 days ago to 12 weeks ahead. */
		serviceDays: v.array(ServiceDayRecordSchema),
		/** Checked with parseReferral by the tablet before storing. */
		referrals: v.array(v.unknown()),
		/** Where the next pull starts: the change log as of this snapshot. */
		cursor: v.string()
	})
});

export interface EnrollResponse {
	protocol: ProtocolVersion;
	deviceId: string;
	bus: Bus;
	referenceVersion: string;
	serverTime: string;
	snapshot: { stops: Stop[]; serviceDays: ServiceDay[]; referrals: Referral[]; cursor: string };
}

const ENROLLMENT_CODE_LENGTH = 8;

/** An enrollment code in upper case, without dash or space; null if a character is outside the alphabet. */
export function normalizeEnrollmentCode(input: string): string | null {
	const compact = input.replace(/[\s-]/g, '').toUpperCase();
	if (compact.length !== ENROLLMENT_CODE_LENGTH) return null;
	for (const char of compact) if (!ENROLLMENT_CODE_ALPHABET.includes(char)) return null;
	return compact;
}

/** The bearer token a tablet sends (`Authorization: Bearer <token>`): its device id and its own secret. */
export function makeToken(deviceId: string, secret: string): string {
	return `${deviceId}.${secret}`;
}

/** Splits a bearer token into its device id and secret; null if it is not shaped like one. */
export function splitToken(token: string): { deviceId: string; secret: string } | null {
	const match = /^([A-Za-z0-9_-]{8,64})\.([A-Za-z0-9_-]{43})$/.exec(token);
	return match?.[1] && match[2] ? { deviceId: match[1], secret: match[2] } : null;
}
