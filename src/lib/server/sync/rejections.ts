/**
 * What the server keeps of a refused mutation, for the coordinators: only what it could check. An unknown
 * kind, an entity id not of its kind's shape, a payload that failed its schema, or one naming a bus or a
 * service day the device's bus does not have, may hold whatever a tablet sent (a name typed in the wrong
 * field, a phone number): they are not kept. A referral's contact never is (a refused referral never
 * reaches the final status whose retention would purge it).
 */
import * as v from 'valibot';
import { offPlanServiceDayBus } from '$lib/domain/validation';
import { ENTITY_ID_SCHEMAS, isMutationKind, type MutationKind } from '$lib/sync/protocol';
import type { DeviceRecord, RejectedMutationRecord, StoreTransaction } from '../store/store';
import type { IncomingMutation, Outcome, PushSession } from './apply';

type Rejected = Extract<Outcome, { status: 'rejected' }>;

/** Records a refused mutation with what was checked of it. */
export async function recordRejection(
	tx: StoreTransaction,
	session: PushSession,
	device: DeviceRecord,
	mutation: IncomingMutation & { mutationId: number },
	outcome: Rejected,
	at: string
): Promise<void> {
	const kind = isMutationKind(mutation.kind) ? mutation.kind : null;
	const isDayOfBus = async (id: unknown) =>
		typeof id === 'string' && (await session.serviceDays.get(id)) === device.busId;
	const record: RejectedMutationRecord = {
		deviceId: device.id,
		busId: device.busId,
		mutationId: mutation.mutationId,
		kind,
		entityId: kind === null ? null : await keptEntityId(kind, mutation.entityId, device, isDayOfBus),
		reason: outcome.reason,
		detail: outcome.detail,
		payload: kind === null ? 'null' : await keptPayload(kind, outcome.kept, device, isDayOfBus),
		at
	};
	await tx.syncRecords.insertRejection(record);
}

async function keptEntityId(
	kind: MutationKind,
	entityId: string,
	device: DeviceRecord,
	isDayOfBus: (id: unknown) => Promise<boolean>
): Promise<string | null> {
	if (!v.is(ENTITY_ID_SCHEMAS[kind], entityId)) return null;
	if (kind === 'serviceDay.report') return (await isDayOfBus(entityId)) ? entityId : null;
	// An off-plan day's id carries its bus: kept only when it is the device's.
	if (kind === 'serviceDay.open') return offPlanServiceDayBus(entityId) === device.busId ? entityId : null;
	return entityId;
}

/** The validated payload as JSON, without a contact, if its bus and service day are the device's; else 'null'. */
async function keptPayload(
	kind: MutationKind,
	kept: unknown,
	device: DeviceRecord,
	isDayOfBus: (id: unknown) => Promise<boolean>
): Promise<string> {
	if (typeof kept !== 'object' || kept === null) return 'null';
	const fields = kept as Record<string, unknown>;
	const ownBus = fields.busId === device.busId;
	const checked =
		kind === 'visit.create'
			? ownBus && (await isDayOfBus(fields.serviceDayId))
			: kind === 'referral.create'
				? ownBus
				: kind === 'serviceDay.report'
					? await isDayOfBus(fields.serviceDayId)
					: kind === 'serviceDay.open'
						? ownBus // its place passed the place rule (no digits run, no @): see domain/off-plan.ts
						: true; // referral.status, visit.withdraw: UUIDs, a status from a closed list, instants
	if (!checked) return 'null';
	return JSON.stringify('contact' in fields ? { ...fields, contact: null } : fields);
}
