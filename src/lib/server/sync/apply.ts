/**
 * Applies one mutation inside the push transaction, or says why it is rejected. Each kind checks its
 * payload against the schema of its version (older versions stay accepted), that `entityId` names the
 * record, and that the record belongs to the device's bus. Rejections never throw: they are answered,
 * recorded and acknowledged by the caller, so one bad record cannot block a queue.
 */
import { canMoveReferral, isReferralFinal, parseReferral, type Referral } from '$lib/domain/referral';
import { parseWith, type ParseResult } from '$lib/domain/validation';
import { parseVisit, type Visit } from '$lib/domain/visit';
import {
	MUTATION_KINDS,
	ReferralStatusChangeSchema,
	ServiceDayReportSchema,
	type MutationKind,
	type RejectionReason,
	type ReferralStatusChange,
	type ServiceDayReport
} from '$lib/sync/protocol';
import { statusAfterReport } from '$lib/sync/service-day-report';
import type { DeviceRecord, StoreTransaction } from '../store/store';

/**
 * `kept` is the payload as validated, stored with a rejection for the coordinator. A payload that failed
 * its schema is never kept: it may hold the very free text or personal data the schema refuses.
 */
export type Outcome =
	{ status: 'applied' } | { status: 'rejected'; reason: RejectionReason; detail: string; kept?: unknown };

export interface IncomingMutation {
	kind: string;
	entityId: string;
	schemaVersion: number;
	payload: unknown;
}

interface Context {
	tx: StoreTransaction;
	device: DeviceRecord;
	entityId: string;
	receivedAt: string;
	busOfServiceDay: (id: string) => Promise<string | null>;
}

/**
 * The bus of a service day, looked up once per push: a day's visits arrive together, and a day never
 * changes bus nor disappears during a push (the push holds the write transaction).
 */
export function createServiceDayLookup(tx: StoreTransaction): (id: string) => Promise<string | null> {
	const busByDay = new Map<string, string | null>();
	return async (id) => {
		const known = busByDay.get(id);
		if (known !== undefined) return known;
		const day = await tx.serviceDays.get(id);
		busByDay.set(id, day?.busId ?? null);
		return day?.busId ?? null;
	};
}

const APPLIED: Outcome = { status: 'applied' };
const reject = (reason: RejectionReason, detail: string): Outcome => ({ status: 'rejected', reason, detail });
const mismatch = () =>
	reject('entity_mismatch', "entityId ne correspond pas à l'identifiant de l'enregistrement");
const outOfScope = (what: string) =>
	reject('out_of_scope', `${what} n'appartient pas au bus de cette tablette`);

type Parser<T> = (payload: unknown) => ParseResult<T>;
interface Kind<T> {
	/** Parsers per schema version: a new version is added beside the old ones, never in their place. */
	versions: Record<number, Parser<T>>;
	apply(value: T, context: Context): Promise<Outcome>;
}

const visitCreate: Kind<Visit> = {
	versions: { 1: (payload) => parseVisit(payload) },
	async apply(visit, { tx, device, entityId, receivedAt, busOfServiceDay }) {
		if (visit.id !== entityId) return mismatch();
		if (visit.busId !== device.busId) return outOfScope('La visite');
		const dayBus = await busOfServiceDay(visit.serviceDayId);
		if (dayBus === null) return reject('not_found', 'serviceDayId : passage inconnu du serveur');
		if (dayBus !== device.busId) return outOfScope('Le passage de la visite');
		const json = JSON.stringify(visit);
		const existing = await tx.syncRecords.getVisit(visit.id);
		// Visits are append-only: the same id again is harmless if identical, a conflict otherwise.
		if (existing)
			return existing.json === json ? APPLIED : reject('conflict', 'Une autre visite porte déjà cet id');
		await tx.syncRecords.insertVisit(visit, json, device.id, receivedAt);
		return APPLIED;
	}
};

const referralCreate: Kind<Referral> = {
	versions: { 1: (payload) => parseReferral(payload) },
	async apply(referral, { tx, device, entityId, receivedAt }) {
		if (referral.id !== entityId) return mismatch();
		if (referral.busId !== device.busId) return outOfScope("L'orientation");
		const visit = await tx.syncRecords.getVisit(referral.visitId);
		if (!visit) return reject('not_found', 'visitId : visite inconnue du serveur');
		if (visit.busId !== device.busId) return outOfScope("La visite de l'orientation");
		const json = JSON.stringify(referral);
		const existing = await tx.syncRecords.getReferral(referral.id);
		if (existing) {
			// A final referral's contact was purged: a replay from before the purge still carries it.
			const replayed = isReferralFinal(existing.status)
				? JSON.stringify({ ...referral, contact: null })
				: json;
			return existing.createdJson === replayed
				? APPLIED
				: reject('conflict', 'Une autre orientation porte déjà cet id');
		}
		await tx.syncRecords.insertReferral(referral, json, device.id, receivedAt);
		return APPLIED;
	}
};

const referralStatus: Kind<ReferralStatusChange> = {
	versions: { 1: (payload) => parseWith(ReferralStatusChangeSchema, payload) },
	async apply(change, { tx, device, entityId, receivedAt }) {
		if (change.referralId !== entityId) return mismatch();
		const stored = await tx.syncRecords.getReferral(change.referralId);
		if (!stored) return reject('not_found', 'referralId : orientation inconnue du serveur');
		if (stored.busId !== device.busId) return outOfScope("L'orientation");
		// Status only moves forward, in server order; a repeat of the current status changes nothing.
		if (stored.status === change.status) return APPLIED;
		if (!canMoveReferral(stored.status, change.status)) {
			return reject(
				'status_backwards',
				`Statut ${stored.status} déjà atteint : ${change.status} ne peut plus suivre`
			);
		}
		const moved: Referral = {
			...stored.referral,
			status: change.status,
			history: [...stored.referral.history, { status: change.status, at: change.at }]
		};
		await tx.syncRecords.moveReferral(moved, device.id, receivedAt);
		return APPLIED;
	}
};

const serviceDayReport: Kind<ServiceDayReport> = {
	versions: { 1: (payload) => parseWith(ServiceDayReportSchema, payload) },
	async apply(report, { tx, device, entityId, receivedAt }) {
		if (report.serviceDayId !== entityId) return mismatch();
		const day = await tx.serviceDays.get(report.serviceDayId);
		if (!day) return reject('not_found', 'serviceDayId : passage inconnu du serveur');
		if (day.busId !== device.busId) return outOfScope('Le passage');
		const { status, reason } = statusAfterReport(report);
		const record = {
			serviceDayId: day.id,
			busId: day.busId,
			deviceId: device.id,
			report: report.report,
			delayMinutes: report.delayMinutes ?? null,
			reason: report.reason ?? null,
			at: report.at
		};
		await tx.syncRecords.reportServiceDay(record, status, reason, receivedAt);
		return APPLIED;
	}
};

const KINDS: { [K in MutationKind]: Kind<never> } = {
	'visit.create': visitCreate as Kind<never>,
	'referral.create': referralCreate as Kind<never>,
	'referral.status': referralStatus as Kind<never>,
	'serviceDay.report': serviceDayReport as Kind<never>
};

/** The schema versions the server accepts for each kind. */
export function acceptedSchemaVersions(kind: MutationKind): number[] {
	return Object.keys(KINDS[kind].versions).map(Number);
}

export async function applyMutation(
	tx: StoreTransaction,
	device: DeviceRecord,
	mutation: IncomingMutation,
	receivedAt: string,
	busOfServiceDay: Context['busOfServiceDay'] = createServiceDayLookup(tx)
): Promise<Outcome> {
	if (!(MUTATION_KINDS as readonly string[]).includes(mutation.kind)) {
		return reject(
			'unknown_kind',
			`Type de mutation inconnu de ce serveur : ${MUTATION_KINDS.join(', ')} attendu`
		);
	}
	const kind = KINDS[mutation.kind as MutationKind];
	const parse = kind.versions[mutation.schemaVersion];
	if (!parse) return reject('unsupported_schema_version', 'Version de schéma inconnue de ce serveur');
	const parsed = parse(mutation.payload);
	if (!parsed.ok) {
		const first = parsed.issues[0];
		return reject(
			'invalid_payload',
			`${first?.path ? `${first.path} : ` : ''}${first?.message ?? 'invalide'}`
		);
	}
	const outcome = await kind.apply(parsed.value as never, {
		tx,
		device,
		entityId: mutation.entityId,
		receivedAt,
		busOfServiceDay
	});
	return outcome.status === 'rejected' ? { ...outcome, kept: withoutContact(parsed.value) } : outcome;
}

/**
 * What a refused mutation keeps for the coordinators: the payload without a referral's contact. The reason and
 * the record's shape are enough to diagnose a refusal, and a refused record never reaches the final status
 * whose retention would otherwise purge it.
 */
function withoutContact(value: unknown): unknown {
	if (typeof value === 'object' && value !== null && 'contact' in value) return { ...value, contact: null };
	return value;
}
