/**
 * Applies one mutation inside the push transaction, or says why it is rejected. Each kind checks its
 * payload against the schema of its version (older versions stay accepted), that `entityId` names the
 * record, and that the record belongs to the device's bus. Rejections never throw: they are answered,
 * recorded and acknowledged by the caller, so one bad record cannot block a queue.
 *
 * A record of another bus is answered as one that does not exist (`not_found`, same words): a tablet
 * learns nothing of other buses. Every kind is idempotent: the same record sent again, under the same or
 * another mutation id (a tablet renumbers its queue after `id_reused`), changes nothing.
 *
 * A push is mostly visits, hundreds a request, and a referral for one in ten: a `PushSession` reads the
 * batch's stored visits and referrals ahead, a query each, buffers the new ones and writes them in one go
 * each, so they are decided without awaiting the store (see `Ledger`). Any other kind
 * writes the buffers first: it sees the store as the mutations before it left it. Buffered referrals are
 * written after the buffered visits, so a referral follows its visit in the change log.
 */
import * as v from 'valibot';
import { isOffPlanDateAllowed, offPlanStopFor, offPlanStopIdOf, samePlace } from '$lib/domain/off-plan';
import { canMoveReferral, isReferralFinal, parseReferral, type Referral } from '$lib/domain/referral';
import { parseWith, type ParseResult } from '$lib/domain/validation';
import { parseVisit, type Visit } from '$lib/domain/visit';
import {
	ENTITY_ID_SCHEMAS,
	MUTATION_KINDS,
	isMutationKind,
	ReferralStatusChangeSchema,
	ServiceDayOpenSchema,
	ServiceDayReportSchema,
	VisitWithdrawalSchema,
	type MutationKind,
	type RejectionReason,
	type ReferralStatusChange,
	type ServiceDayOpen,
	type ServiceDayReport,
	type VisitWithdrawal
} from '$lib/sync/protocol';
import { statusAfterReport } from '$lib/sync/service-day-report';
import { findCommune } from '../communes/communes';
import type { DeviceRecord, NewReferral, NewVisit, StoreTransaction, StoredVisit } from '../store/store';

/**
 * `kept` is the payload as validated, which a recorded rejection may keep for the coordinator (see
 * rejections.ts). A payload that failed its schema has none: it may hold the very free text or personal data
 * the schema refuses.
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
	serviceDays: ServiceDayLookup;
	visits: VisitLedger;
	referrals: ReferralLedger;
}

/** An answer now, or later when the store must be asked first. */
type Maybe<T> = T | Promise<T>;

/**
 * The bus of a service day, looked up once per push: a day's visits arrive together, and a day never
 * changes bus nor disappears during a push (the push holds the write transaction).
 */
export class ServiceDayLookup {
	readonly #tx: StoreTransaction;
	/** The bus of each day seen so far; null: no such day. */
	readonly #busByDay = new Map<string, string | null>();

	constructor(tx: StoreTransaction) {
		this.#tx = tx;
	}

	/** The bus if this push looked the day up already, undefined otherwise. */
	peek(id: string): string | null | undefined {
		return this.#busByDay.get(id);
	}

	/** A day this push created (an off-plan day): the visits after it in the batch find it. */
	remember(id: string, busId: string): void {
		this.#busByDay.set(id, busId);
	}

	async get(id: string): Promise<string | null> {
		const known = this.#busByDay.get(id);
		if (known !== undefined) return known;
		const day = await this.#tx.serviceDays.get(id);
		this.#busByDay.set(id, day?.busId ?? null);
		return day?.busId ?? null;
	}
}

/** How a ledger reads and writes its kind of record: one and many by id, a batch of new ones in order. */
interface LedgerStore<Known, New> {
	kind: 'visit.create' | 'referral.create';
	getOne(id: string): Promise<Known | null>;
	getMany(ids: string[]): Promise<Map<string, Known>>;
	insert(pending: New[]): Promise<void>;
}

/**
 * The records of one kind a push creates (visits, referrals): those stored before it, read ahead in one query for
 * the whole batch, and the new ones, buffered and written in one go. A batch is mostly visits, and a referral for
 * one in ten: one round trip per batch instead of several per record is what makes a push of a backlog fast. The
 * caller flushes (`PushSession.flush`: visits, then referrals) before anything that reads them from the store and
 * before the commit.
 */
export class Ledger<Known, New> {
	readonly #store: LedgerStore<Known, New>;
	/** What the store holds (or will, once flushed) for the ids seen so far; null: known to be absent. */
	readonly #known = new Map<string, Known | null>();
	#pending: New[] = [];

	constructor(store: LedgerStore<Known, New>) {
		this.#store = store;
	}

	/** Reads ahead the stored records that these mutations create, in one query. */
	async readAhead(mutations: readonly IncomingMutation[]): Promise<void> {
		const ids = new Set<string>();
		for (const mutation of mutations) {
			if (mutation.kind === this.#store.kind && !this.#known.has(mutation.entityId))
				ids.add(mutation.entityId);
		}
		if (ids.size === 0) return;
		const stored = await this.#store.getMany([...ids]);
		for (const id of ids) this.#known.set(id, stored.get(id) ?? null);
	}

	/** The record as stored or buffered if this push knows it already (null: none), undefined otherwise. */
	peek(id: string): Known | null | undefined {
		return this.#known.get(id);
	}

	/** The record as stored or buffered, null when there is none. */
	async get(id: string): Promise<Known | null> {
		const known = this.#known.get(id);
		if (known !== undefined) return known;
		const stored = await this.#store.getOne(id);
		this.#known.set(id, stored);
		return stored;
	}

	/** Buffers a new record; `get` sees it at once (as `known`, how the store will hold it), the store at `flush`. */
	add(id: string, known: Known, record: New): void {
		this.#pending.push(record);
		this.#known.set(id, known);
	}

	async flush(): Promise<void> {
		if (this.#pending.length === 0) return;
		const pending = this.#pending;
		this.#pending = [];
		await this.#store.insert(pending);
	}
}

/** What a referral.create is decided against: a referral stored (or buffered) under its id. */
interface KnownReferral {
	busId: string;
	status: Referral['status'];
	/** The referral as first received (without its contact when created final). */
	createdJson: string;
}

export type VisitLedger = Ledger<StoredVisit, NewVisit>;
export type ReferralLedger = Ledger<KnownReferral, NewReferral>;

const APPLIED: Outcome = { status: 'applied' };
const reject = (reason: RejectionReason, detail: string): Outcome => ({ status: 'rejected', reason, detail });
const mismatch = () =>
	reject('entity_mismatch', "entityId ne correspond pas à l'identifiant de l'enregistrement");
/** Unknown, or of another bus: the same answer for both. */
const UNKNOWN = {
	bus: () => reject('not_found', 'busId : bus inconnu pour cette tablette'),
	serviceDay: () => reject('not_found', 'serviceDayId : passage inconnu pour le bus de cette tablette'),
	visit: () => reject('not_found', 'visitId : visite inconnue pour le bus de cette tablette'),
	referral: () => reject('not_found', 'referralId : orientation inconnue pour le bus de cette tablette')
};

type Parser<T> = (payload: unknown) => ParseResult<T>;
interface Kind<T> {
	/** Parsers per schema version: a new version is added beside the old ones, never in their place. */
	versions: Record<number, Parser<T>>;
	/** Answers synchronously when it needs nothing from the store (a visit, most of the time). */
	apply(value: T, context: Context): Maybe<Outcome>;
}

/**
 * A visit is checked against its service day and against a visit stored (or buffered) under its id. Both
 * are known in advance for nearly every visit of a push (the day from an earlier visit, the visit from the
 * read-ahead): then it is decided without a single await, which matters at 500 visits a request.
 */
const visitCreate: Kind<Visit> = {
	versions: { 1: (payload) => parseVisit(payload) },
	apply(visit, context) {
		const { device, entityId, serviceDays, visits } = context;
		if (visit.id !== entityId) return mismatch();
		if (visit.busId !== device.busId) return UNKNOWN.bus();
		const dayBus = serviceDays.peek(visit.serviceDayId);
		const existing = visits.peek(visit.id);
		if (dayBus !== undefined && existing !== undefined && visit.correctionOf === undefined) {
			return decideVisit(visit, dayBus, existing, context);
		}
		return (async () =>
			decideVisit(
				visit,
				await serviceDays.get(visit.serviceDayId),
				await visits.get(visit.id),
				context,
				visit.correctionOf !== undefined && (await isWithdrawn(visit.correctionOf, context))
			))();
	}
};

/**
 * Whether a visit is withdrawn. A withdrawal is stored at once (the visits buffered before it are flushed
 * first), so a visit still in this push's buffer is not withdrawn.
 */
async function isWithdrawn(visitId: string, { tx }: Context): Promise<boolean> {
	const standing = await tx.syncRecords.getVisitStanding(visitId);
	return standing !== null && standing.withdrawalJson !== null;
}

function decideVisit(
	visit: Visit,
	dayBus: string | null,
	existing: StoredVisit | null,
	{ device, visits }: Context,
	correctsAWithdrawnVisit = false
): Outcome {
	if (dayBus !== device.busId) return UNKNOWN.serviceDay();
	const json = JSON.stringify(visit);
	// Visits are append-only: the same id again is harmless if identical, a conflict otherwise.
	if (existing)
		return existing.json === json ? APPLIED : reject('conflict', 'Une autre visite porte déjà cet id');
	// A withdrawn check-in stays out of the counts: a correction would bring it back (the tablet refuses it
	// too; a tablet of an older version, or a modified one, is answered here).
	if (correctsAWithdrawnVisit) {
		return reject('conflict', 'correctionOf : visite annulée, elle ne peut plus être corrigée');
	}
	visits.add(visit.id, { busId: visit.busId, json }, { visit, json });
	return APPLIED;
}

/**
 * A referral names a visit of the device's bus, stored or earlier in this push, and is checked against a referral
 * stored (or buffered) under its id: both known in advance for nearly every referral of a push (the visit from the
 * batch, the referral from the read-ahead), so it is decided without an await, and written with the others.
 */
const referralCreate: Kind<Referral> = {
	versions: { 1: (payload) => parseReferral(payload) },
	apply(referral, context) {
		const { device, entityId, visits, referrals } = context;
		if (referral.id !== entityId) return mismatch();
		if (referral.busId !== device.busId) return UNKNOWN.bus();
		const visit = visits.peek(referral.visitId);
		const existing = referrals.peek(referral.id);
		if (visit !== undefined && existing !== undefined)
			return decideReferral(referral, visit, existing, context);
		return (async () =>
			decideReferral(
				referral,
				await visits.get(referral.visitId),
				await referrals.get(referral.id),
				context
			))();
	}
};

function decideReferral(
	referral: Referral,
	visit: StoredVisit | null,
	existing: KnownReferral | null,
	{ device, referrals }: Context
): Outcome {
	if (visit?.busId !== device.busId) return UNKNOWN.visit();
	const json = JSON.stringify(referral);
	// A final referral is kept without its contact; a replay from before the purge still carries it.
	const asKept = (status: Referral['status']) =>
		isReferralFinal(status) ? JSON.stringify({ ...referral, contact: null }) : json;
	if (existing) {
		return existing.createdJson === asKept(existing.status)
			? APPLIED
			: reject('conflict', 'Une autre orientation porte déjà cet id');
	}
	const createdJson = asKept(referral.status);
	referrals.add(
		referral.id,
		{ busId: referral.busId, status: referral.status, createdJson },
		{ referral, json }
	);
	return APPLIED;
}

const referralStatus: Kind<ReferralStatusChange> = {
	versions: { 1: (payload) => parseWith(ReferralStatusChangeSchema, payload) },
	async apply(change, { tx, device, entityId, receivedAt }) {
		if (change.referralId !== entityId) return mismatch();
		const stored = await tx.syncRecords.getReferral(change.referralId);
		if (stored?.busId !== device.busId) return UNKNOWN.referral();
		// Status only moves forward, in server order; a repeat of the current status changes nothing, and
		// neither does a step already in the history (the same move sent again after a later one).
		if (stored.status === change.status) return APPLIED;
		const { history } = stored.referral;
		if (history.some((step) => step.status === change.status && step.at === change.at)) return APPLIED;
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
		if (day?.busId !== device.busId) return UNKNOWN.serviceDay();
		const record = {
			serviceDayId: day.id,
			busId: day.busId,
			deviceId: device.id,
			report: report.report,
			delayMinutes: report.delayMinutes ?? null,
			reason: report.reason ?? null,
			at: report.at
		};
		// A report is an event: the same one again (renumbered, or from a re-enrolled tablet) is not a new
		// one, and must not set the day back to it after a later report.
		if (await tx.syncRecords.hasServiceDayReport(record)) return APPLIED;
		const { status, reason } = statusAfterReport(report);
		await tx.syncRecords.reportServiceDay(record, status, reason, receivedAt);
		return APPLIED;
	}
};

/**
 * A withdrawal names a visit of the device's bus, stored before it (in this push or an earlier one: the
 * caller flushed the buffered visits). The visit row stays and the withdrawal is kept beside it; counts of
 * visits leave it out. Withdrawn already: the same withdrawal again, or another one of the same visit,
 * changes nothing. A visit a correction replaced is not withdrawn (`conflict`): the crew withdraws the
 * check-in's current version, which leaves the whole check-in out of the counts.
 */
const visitWithdraw: Kind<VisitWithdrawal> = {
	versions: { 1: (payload) => parseWith(VisitWithdrawalSchema, payload) },
	async apply(withdrawal, { tx, device, entityId, receivedAt }) {
		if (withdrawal.visitId !== entityId) return mismatch();
		const standing = await tx.syncRecords.getVisitStanding(withdrawal.visitId);
		if (standing?.busId !== device.busId) return UNKNOWN.visit();
		if (standing.withdrawalJson !== null) return APPLIED;
		if (standing.replaced) {
			return reject('conflict', 'visitId : visite déjà corrigée, annuler plutôt sa dernière correction');
		}
		const record = {
			visitId: withdrawal.visitId,
			busId: device.busId,
			deviceId: device.id,
			at: withdrawal.at
		};
		await tx.syncRecords.insertVisitWithdrawal(record, JSON.stringify(withdrawal), receivedAt);
		return APPLIED;
	}
};

/**
 * An off-plan day the crew opened: held from the start, at the bus's stop of that commune and place if it has
 * one, else at a stop opened with it (id: the day's without its date), both marked off-plan. The same day sent
 * again changes nothing; another under its id is a conflict.
 */
const serviceDayOpen: Kind<ServiceDayOpen> = {
	versions: { 1: (payload) => parseWith(ServiceDayOpenSchema, payload) },
	async apply(open, { tx, device, entityId, receivedAt, serviceDays }) {
		if (open.serviceDayId !== entityId) return mismatch();
		if (open.busId !== device.busId) return UNKNOWN.bus();
		const bus = await tx.buses.get(open.busId);
		if (!bus) return UNKNOWN.bus();
		const commune = findCommune(open.insee);
		if (!commune) return reject('not_found', 'insee : commune inconnue de la liste officielle');
		const existing = await tx.serviceDays.get(open.serviceDayId);
		if (existing) {
			const stop = await tx.stops.get(existing.stopId);
			const same =
				existing.busId === open.busId &&
				existing.offPlan === true &&
				existing.date === open.date &&
				existing.start === open.start &&
				existing.end === open.end &&
				stop?.insee === open.insee &&
				samePlace(stop.place, open.place);
			return same ? APPLIED : reject('conflict', 'Un autre passage porte déjà cet id');
		}
		if (!isOffPlanDateAllowed(open.date, new Date(open.at), new Date(receivedAt), bus.timeZone)) {
			return reject('invalid_payload', "date : un arrêt hors circuit s'ouvre le jour même (à un jour près)");
		}
		const { stop, existing: reused } = offPlanStopFor(
			open,
			commune,
			await tx.stops.listByBus(bus.id),
			bus,
			offPlanStopIdOf(open.serviceDayId)
		);
		if (!reused) await tx.stops.upsertMany([stop]);
		const stopId = stop.id;
		await tx.serviceDays.insertOffPlan(
			{
				id: open.serviceDayId,
				busId: bus.id,
				stopId,
				ruleId: null,
				date: open.date,
				start: open.start,
				end: open.end,
				status: 'held',
				reason: null
			},
			receivedAt
		);
		serviceDays.remember(open.serviceDayId, bus.id);
		return APPLIED;
	}
};

const KINDS: { [K in MutationKind]: Kind<never> } = {
	'visit.create': visitCreate as Kind<never>,
	'referral.create': referralCreate as Kind<never>,
	'referral.status': referralStatus as Kind<never>,
	'serviceDay.report': serviceDayReport as Kind<never>,
	'visit.withdraw': visitWithdraw as Kind<never>,
	'serviceDay.open': serviceDayOpen as Kind<never>
};

/** The schema versions the server accepts for each kind. */
export function acceptedSchemaVersions(kind: MutationKind): number[] {
	return Object.keys(KINDS[kind].versions).map(Number);
}

/** What one push shares between its mutations: the service day lookup, the visit and referral ledgers. */
export interface PushSession {
	serviceDays: ServiceDayLookup;
	visits: VisitLedger;
	referrals: ReferralLedger;
	/** Reads ahead the stored visits and referrals the mutations create, a query each. */
	readAhead(mutations: readonly IncomingMutation[]): Promise<void>;
	/** Writes the buffered visits, then the buffered referrals (each after its visit). */
	flush(): Promise<void>;
}

export function createPushSession(
	tx: StoreTransaction,
	device: DeviceRecord,
	receivedAt: string
): PushSession {
	const records = tx.syncRecords;
	const visits: VisitLedger = new Ledger({
		kind: 'visit.create',
		getOne: (id) => records.getVisit(id),
		getMany: (ids) => records.getVisits(ids),
		insert: (pending) => records.insertVisits(pending, device.id, receivedAt)
	});
	const referrals: ReferralLedger = new Ledger<KnownReferral, NewReferral>({
		kind: 'referral.create',
		getOne: (id) => records.getReferral(id),
		getMany: (ids) => records.getReferrals(ids),
		insert: (pending) => records.insertReferrals(pending, device.id, receivedAt)
	});
	return {
		serviceDays: new ServiceDayLookup(tx),
		visits,
		referrals,
		async readAhead(mutations) {
			await visits.readAhead(mutations);
			await referrals.readAhead(mutations);
		},
		async flush() {
			await visits.flush();
			await referrals.flush();
		}
	};
}

/**
 * Applies one mutation: an outcome at once when the store need not be asked, a promise otherwise (the
 * caller awaits only then). New visits and referrals wait in the session's ledgers until its next flush,
 * which the caller does before it commits; any other kind flushes them first, so it sees the store as the
 * mutations before it left it.
 */
export function applyMutation(
	tx: StoreTransaction,
	device: DeviceRecord,
	mutation: IncomingMutation,
	receivedAt: string,
	session: PushSession
): Maybe<Outcome> {
	if (!isMutationKind(mutation.kind)) {
		return reject(
			'unknown_kind',
			`Type de mutation inconnu de ce serveur : ${MUTATION_KINDS.join(', ')} attendu`
		);
	}
	const kind = KINDS[mutation.kind];
	const parse = kind.versions[mutation.schemaVersion];
	if (!parse) return reject('unsupported_schema_version', 'Version de schéma inconnue de ce serveur');
	// v.is first: the usual id passes without building issues.
	const entitySchema = ENTITY_ID_SCHEMAS[mutation.kind];
	if (!v.is(entitySchema, mutation.entityId)) {
		const checked = parseWith(entitySchema, mutation.entityId);
		const message = checked.ok ? 'invalide' : (checked.issues[0]?.message ?? 'invalide');
		return reject('entity_mismatch', `entityId : ${message}`);
	}
	const parsed = parse(mutation.payload);
	if (!parsed.ok) {
		const first = parsed.issues[0];
		return reject(
			'invalid_payload',
			`${first?.path ? `${first.path} : ` : ''}${first?.message ?? 'invalide'}`
		);
	}
	const context: Context = {
		tx,
		device,
		entityId: mutation.entityId,
		receivedAt,
		serviceDays: session.serviceDays,
		visits: session.visits,
		referrals: session.referrals
	};
	const keep = (outcome: Outcome): Outcome =>
		outcome.status === 'rejected' ? { ...outcome, kept: parsed.value } : outcome;
	if (mutation.kind !== 'visit.create' && mutation.kind !== 'referral.create') {
		return (async () => {
			await session.flush();
			return keep(await kind.apply(parsed.value as never, context));
		})();
	}
	const outcome = kind.apply(parsed.value as never, context);
	return outcome instanceof Promise ? outcome.then(keep) : keep(outcome);
}
