/**
 * The parts of the Store that sync uses: devices and their enrollment codes, the records tablets push,
 * the refused mutations, and the change log tablets pull. Engine-neutral and async, like store.ts.
 */
import type { Referral, ReferralStatus } from '$lib/domain/referral';
import type { ServiceDayStatus } from '$lib/domain/schedule';
import type { Visit } from '$lib/domain/visit';

export interface DeviceRecord {
	id: string;
	busId: string;
	/** SHA-256 of the token's secret, hex. */
	secretHash: string;
	appVersion: string;
	createdAt: string;
	revokedAt: string | null;
	/** Highest acknowledged mutation id. */
	lastMutationId: number;
	lastSeenAt: string | null;
}

export interface EnrollmentCodeRecord {
	codeHash: string;
	busId: string;
	createdAt: string;
	expiresAt: string;
	usedAt: string | null;
	usedByDevice: string | null;
}

export interface DeviceRepository {
	insert(device: DeviceRecord): Promise<void>;
	get(id: string): Promise<DeviceRecord | null>;
	/**
	 * `get` for a push, in its transaction: the device is held until the transaction ends, so a second push of
	 * the same device waits and then reads the ledger the first one left (PostgreSQL: the row's lock; SQLite:
	 * its one writer already runs transactions one at a time).
	 */
	getForPush(id: string): Promise<DeviceRecord | null>;
	/** Moves the acknowledgement ledger forward and notes when the device was last heard from. */
	acknowledge(id: string, lastMutationId: number, seenAt: string): Promise<void>;
	/** Returns false if there is no such device or it was already revoked. */
	revoke(id: string, at: string): Promise<boolean>;
}

export interface EnrollmentCodeRepository {
	insert(code: EnrollmentCodeRecord): Promise<void>;
	get(codeHash: string): Promise<EnrollmentCodeRecord | null>;
	/** Marks an unused code used; false if it was used already (a race between two tablets). */
	markUsed(codeHash: string, deviceId: string, at: string): Promise<boolean>;
}

export interface StoredVisit {
	busId: string;
	/** The visit as first stored, JSON: a replay compares against it. */
	json: string;
}

/** Where a visit stands for a withdrawal: whose it is, whether a correction replaced it, whether it is withdrawn. */
export interface VisitStanding {
	busId: string;
	replaced: boolean;
	/** The withdrawal as stored (JSON), null when the visit is not withdrawn. */
	withdrawalJson: string | null;
}

/** A visit withdrawn by a tablet of its bus: the visit row stays, every count of visits leaves it out. */
export interface VisitWithdrawalRecord {
	visitId: string;
	busId: string;
	deviceId: string;
	/** Device clock, informative only. */
	at: string;
}

export interface StoredReferral {
	busId: string;
	status: ReferralStatus;
	createdJson: string;
	referral: Referral;
}

export interface ServiceDayReportRecord {
	serviceDayId: string;
	busId: string;
	deviceId: string;
	report: 'held' | 'late' | 'cancelled';
	delayMinutes: number | null;
	reason: 'breakdown' | 'weather' | 'staff' | 'other' | null;
	at: string;
}

/**
 * A refused mutation, kept for the coordinators with what was checked only: whatever a tablet sent that
 * the server could not check may be personal data typed in the wrong field.
 */
export interface RejectedMutationRecord {
	deviceId: string;
	busId: string;
	mutationId: number;
	/** Null when the kind is not one this server knows. */
	kind: string | null;
	/** Null unless it has its kind's shape (and, for a service day, names one of the device's bus). */
	entityId: string | null;
	reason: string;
	detail: string | null;
	/**
	 * The payload as validated, JSON, without a referral's contact; 'null' when it failed its schema or
	 * names a bus or a service day the device's bus does not have.
	 */
	payload: string;
	at: string;
}

/** The digest of an acknowledged mutation: SHA-256, hex, of what the tablet sent (see push.ts). */
export interface MutationDigest {
	mutationId: number;
	digest: string;
}

/** Which referrals a coordinator lists: every bus and status when left out. */
export interface ReferralFilter {
	busId?: string;
	/** An empty list matches nothing. */
	statuses?: readonly ReferralStatus[];
}

/** A visit to store, with its JSON as it will be kept (and later compared against a replay). */
export interface NewVisit {
	visit: Visit;
	json: string;
}

export interface NewReferral {
	referral: Referral;
	json: string;
}

export interface SyncRecordRepository {
	getVisit(id: string): Promise<StoredVisit | null>;
	/**
	 * The stored visits among `ids`, by id, in one round trip (a push reads a whole batch ahead); ids that
	 * are not stored are left out of the map.
	 */
	getVisits(ids: readonly string[]): Promise<Map<string, StoredVisit>>;
	insertVisit(visit: Visit, json: string, deviceId: string, receivedAt: string): Promise<void>;
	/** Inserts the visits in order, in one round trip; all or none (a savepoint inside a transaction). */
	insertVisits(visits: readonly NewVisit[], deviceId: string, receivedAt: string): Promise<void>;
	/** The visit's bus, and whether it is replaced by a correction or withdrawn; null when it is not stored. */
	getVisitStanding(id: string): Promise<VisitStanding | null>;
	/** Keeps the withdrawal beside its visit (which stays): the visit leaves every count of visits. */
	insertVisitWithdrawal(withdrawal: VisitWithdrawalRecord, json: string, receivedAt: string): Promise<void>;
	/**
	 * The check-ins of each of `busIds`, in one read: a check-in counts once, in its current version (a
	 * visit a correction replaces is left out), and not at all when that version is withdrawn. Buses
	 * without one are left out of the map.
	 */
	countVisitsByBus(busIds: readonly string[]): Promise<Map<string, number>>;
	getReferral(id: string): Promise<StoredReferral | null>;
	/** The referrals stored under `ids`, in one read; ids without one are left out of the map. */
	getReferrals(ids: readonly string[]): Promise<Map<string, StoredReferral>>;
	/** Referrals as they stand now, across buses: earliest due date first, then oldest received. */
	listReferrals(filter: ReferralFilter): Promise<Referral[]>;
	/** The bus's referrals as they stand now, oldest first. */
	listReferralsByBus(busId: string): Promise<Referral[]>;
	/**
	 * Inserts the referrals in order, then the events of their histories, in a round trip for each table; all or
	 * none. A referral created already final is stored without its contact.
	 */
	insertReferrals(referrals: readonly NewReferral[], deviceId: string, receivedAt: string): Promise<void>;
	/**
	 * Stores the referral's new status and history, and the event that moved it; `deviceId` is the tablet
	 * that pushed the move, null for a coordinator. A final status (resolved, closed) purges the contact
	 * wherever the server keeps it (referral row, change log, refused payloads), in the same transaction.
	 */
	moveReferral(referral: Referral, deviceId: string | null, receivedAt: string): Promise<void>;
	/**
	 * Whether this very report (same day, report, delay, reason and device time) is stored already: a
	 * report sent again under another mutation id is then not a new event.
	 */
	hasServiceDayReport(report: Omit<ServiceDayReportRecord, 'busId' | 'deviceId'>): Promise<boolean>;
	/** Keeps the report as an event, and sets the day's public status (the latest report wins). */
	reportServiceDay(
		report: ServiceDayReportRecord,
		status: ServiceDayStatus,
		reason: string | null,
		receivedAt: string
	): Promise<void>;
	/** A rejection already recorded for this device and mutation id, to answer a replay the same way. */
	getRejection(deviceId: string, mutationId: number): Promise<RejectedMutationRecord | null>;
	/** The rejections recorded for this device among `mutationIds`, by mutation id, in one round trip. */
	getRejections(
		deviceId: string,
		mutationIds: readonly number[]
	): Promise<Map<number, RejectedMutationRecord>>;
	insertRejection(rejection: RejectedMutationRecord): Promise<void>;
	listRejections(busId: string, limit: number): Promise<RejectedMutationRecord[]>;
	/** The newest `perBus` rejections of each of `busIds`, by bus then newest first, in one read. */
	listRejectionsByBus(busIds: readonly string[], perBus: number): Promise<RejectedMutationRecord[]>;
	/**
	 * The digests recorded for this device among `mutationIds`, by mutation id, in one round trip. Ids
	 * acknowledged before digests were kept (schema version 4) have none.
	 */
	getMutationDigests(deviceId: string, mutationIds: readonly number[]): Promise<Map<number, string>>;
	/**
	 * For a range check: how many of the ids `first` to `last` have a recorded digest, and the first
	 * `prefixBytes` bytes of each in lower-case hexadecimal, end to end in id order, in one read.
	 */
	getDigestPrefixRange(
		deviceId: string,
		first: number,
		last: number,
		prefixBytes: number
	): Promise<{ count: number; text: string }>;
	/** Records the digests of the mutations a push acknowledged, in one round trip; all or none. */
	insertMutationDigests(deviceId: string, digests: readonly MutationDigest[]): Promise<void>;
}

export interface ChangeRecord {
	seq: number;
	entity: 'bus' | 'stop' | 'serviceDay' | 'referral';
	op: 'put' | 'delete';
	id: string;
	data: unknown;
}

export interface ChangeLogRepository {
	/** Changes of one bus after `afterSeq`, in seq order, at most `limit`. */
	listForBus(busId: string, afterSeq: number, limit: number): Promise<ChangeRecord[]>;
	/** The highest seq written so far (0 for an empty log). */
	lastSeq(): Promise<number>;
}

/** Row counts of the sync tables (tests, the coordination page). */
export type SyncTable =
	| 'devices'
	| 'enrollment_codes'
	| 'visits'
	| 'visit_withdrawals'
	| 'referrals'
	| 'referral_events'
	| 'service_day_reports'
	| 'rejected_mutations'
	| 'mutation_digests'
	| 'change_log';

export interface SyncStatsRepository {
	countRows(): Promise<Record<SyncTable, number>>;
}
