/** The enrollment response: identity, token and the snapshot a tablet needs to work offline. */
import * as v from 'valibot';
import type { Referral } from '$lib/domain/referral';
import type { Bus, ServiceDay, Stop } from '$lib/domain/schedule';
import { PROTOCOL_VERSION } from './protocol';
import { BusRecordSchema, ServiceDayRecordSchema, StopRecordSchema } from './records';

export const EnrollResponseSchema = v.object({
	protocol: v.literal(PROTOCOL_VERSION),
	deviceId: v.string(),
	/** `<deviceId>.<secret>`, sent as `Authorization: Bearer <token>`; the server keeps only a hash. */
	token: v.string(),
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
	protocol: typeof PROTOCOL_VERSION;
	deviceId: string;
	token: string;
	bus: Bus;
	referenceVersion: string;
	serverTime: string;
	snapshot: { stops: Stop[]; serviceDays: ServiceDay[]; referrals: Referral[]; cursor: string };
}

/** Splits a bearer token into its device id and secret; null if it is not shaped like one. */
export function splitToken(token: string): { deviceId: string; secret: string } | null {
	const match = /^([A-Za-z0-9_-]{8,64})\.([A-Za-z0-9_-]{43})$/.exec(token);
	return match?.[1] && match[2] ? { deviceId: match[1], secret: match[2] } : null;
}
