/**
 * A check-in as the crew's form makes it: one visit and the referrals of its referred requests, written
 * together or not at all, and what the crew may do to it the same day, both append-only: correct it (a
 * correction is a new visit naming the one it replaces) or withdraw it (a withdrawal is a record naming the
 * visit, which stays). Everything is validated before the transaction opens, so a bad referral never leaves
 * a visit behind, and the outbox gets the visit before its referrals (the server needs the visit first).
 *
 * Longer than our usual module: the same-day rule is one rule for corrections and withdrawals, and both
 * read a day's check-ins the same way (`currentVersions`).
 */
import { localDateIn } from '$lib/domain/calendar';
import { canMoveReferral, isReferralFinal, parseReferral, type Referral } from '$lib/domain/referral';
import type { Issue } from '$lib/domain/validation';
import { parseVisit, type Visit } from '$lib/domain/visit';
import { InvalidRecordError, withStorageErrors } from './errors';
import { enqueue, outboxTables, withDigest } from './outbox';
import type { EscaleDb } from './schema';

export interface CheckIn {
	visit: Visit;
	referrals: Referral[];
}

/** A visit the crew withdrew (docs/sync-conflicts.md): the visit stays, every count leaves it out. */
export interface StoredVisitWithdrawal {
	visitId: string;
	serviceDayId: string;
	/** Device clock, ISO 8601. */
	at: string;
}

function parseNewVisit(input: unknown): Visit {
	const parsed = parseVisit(input);
	if (!parsed.ok) throw new InvalidRecordError('visit', parsed.issues);
	return parsed.value;
}

/**
 * Each referral valid, open, of this visit and bus, and matching its own referred request of the same
 * partner (two CAF referrals need two referred CAF requests). Issues are named `referrals.<i>.<field>`.
 */
function parseReferralsOf(visit: Visit, inputs: readonly unknown[]): Referral[] {
	const unmatched = visit.requests.filter((request) => request.outcome === 'referred');
	const referrals: Referral[] = [];
	const issues: Issue[] = [];
	inputs.forEach((input, index) => {
		const at = (issue: Issue) => ({
			...issue,
			path: `referrals.${index}${issue.path ? `.${issue.path}` : ''}`
		});
		const parsed = parseReferral(input);
		if (!parsed.ok) {
			issues.push(...parsed.issues.map(at));
			return;
		}
		const referral = parsed.value;
		if (referral.visitId !== visit.id) {
			issues.push(
				at({ path: 'visitId', message: "L'orientation doit porter l'identifiant de cette visite" })
			);
		}
		if (referral.busId !== visit.busId) {
			issues.push(at({ path: 'busId', message: "L'orientation doit être du même bus que la visite" }));
		}
		if (referral.status !== 'open' || referral.history.length !== 1) {
			issues.push(at({ path: 'status', message: 'Une nouvelle orientation est ouverte (open)' }));
		}
		const match = unmatched.findIndex((request) => request.partner === referral.partner);
		if (match === -1) {
			issues.push(
				at({
					path: 'partner',
					message: 'Aucune demande orientée (referred) de ce partenaire dans la visite'
				})
			);
		} else {
			unmatched.splice(match, 1);
		}
		referrals.push(referral);
	});
	if (issues.length > 0) throw new InvalidRecordError('referral', issues);
	return referrals;
}

/**
 * Validates the visit and every referral, then stores them with their outbox entries (visit.create, then
 * referral.create in the given order) in one transaction. Rejects with InvalidRecordError (nothing
 * written) on any bad input, StorageFullError or StorageUnavailableError.
 */
export async function recordCheckIn(
	db: EscaleDb,
	input: { visit: unknown; referrals: unknown[] },
	now: Date = new Date()
): Promise<CheckIn> {
	const visit = parseNewVisit(input.visit);
	if (visit.correctionOf !== undefined) {
		throw new InvalidRecordError('visit', [
			{ path: 'correctionOf', message: 'Une correction passe par correctVisit, pas par un nouvel accueil' }
		]);
	}
	const referrals = parseReferralsOf(visit, input.referrals);
	const queuedAt = now.toISOString();
	const queued = await Promise.all([
		withDigest({ kind: 'visit.create', entityId: visit.id, payload: visit, createdAt: queuedAt }),
		...referrals.map((referral) =>
			withDigest({ kind: 'referral.create', entityId: referral.id, payload: referral, createdAt: queuedAt })
		)
	]);

	// Must stay true: the visit and its referrals exist exactly when all their mutations are queued.
	await withStorageErrors(() =>
		db.transaction('rw', [db.visits, db.referrals, ...outboxTables(db)], async (tx) => {
			await tx.visits.add(visit);
			// The visit's mutation first, then each referral's, in the order given.
			for (const [index, mutation] of queued.entries()) {
				const referral = referrals[index - 1];
				if (referral) await tx.referrals.add(referral);
				await enqueue(tx, mutation);
			}
		})
	);
	return { visit, referrals };
}

const correctionIssue = (message: string): InvalidRecordError =>
	new InvalidRecordError('visit', [{ path: 'correctionOf', message }]);

type SameDayRefusal = 'replaced' | 'withdrawn' | 'otherDay';

/**
 * The same-day rule of corrections and withdrawals: why `visit` cannot be corrected or withdrawn at `now`,
 * or null when it can. Only the current version of a check-in (not a visit a correction already replaced,
 * nor one withdrawn), and only during its service day: when the tablet holds the day and its bus, `now`
 * must fall on the day's local date in the bus's time zone.
 */
async function sameDayRefusal(
	db: Pick<EscaleDb, 'visits' | 'visitWithdrawals' | 'serviceDays' | 'buses'>,
	visit: Visit,
	now: Date
): Promise<SameDayRefusal | null> {
	if (await db.visits.where('correctionOf').equals(visit.id).first()) return 'replaced';
	if (await db.visitWithdrawals.get(visit.id)) return 'withdrawn';
	const day = await db.serviceDays.get(visit.serviceDayId);
	const bus = day && (await db.buses.get(day.busId));
	if (day && bus && localDateIn(now, bus.timeZone) !== day.date) return 'otherDay';
	return null;
}

const CORRECTION_REFUSALS: Record<SameDayRefusal, string> = {
	replaced: 'Visite déjà corrigée : corriger plutôt sa dernière correction',
	withdrawn: 'Visite annulée : elle ne se corrige plus',
	otherDay: 'Une visite ne se corrige que le jour même du passage'
};

const WITHDRAWAL_REFUSALS: Record<SameDayRefusal, string> = {
	replaced: 'Visite déjà corrigée : annuler plutôt sa dernière correction',
	withdrawn: 'Visite déjà annulée',
	otherDay: "Une visite ne s'annule que le jour même du passage"
};

/** The tables the same-day rule reads. */
function sameDayTables(db: EscaleDb) {
	return [db.visits, db.visitWithdrawals, db.serviceDays, db.buses];
}

/**
 * The visit `id` if the correction rule lets the crew correct it at `now` (what correctVisit will accept),
 * otherwise null (unknown, already corrected, or of another day).
 */
export async function findCorrectableVisit(
	db: EscaleDb,
	id: string,
	now: Date = new Date()
): Promise<Visit | null> {
	return db.transaction('r', sameDayTables(db), async (tx) => {
		const original = await tx.visits.get(id);
		if (!original) return null;
		return (await sameDayRefusal(tx, original, now)) === null ? original : null;
	});
}

/**
 * Records `input` as the correction of visit `originalId` (its `correctionOf` is set to `originalId`, or
 * must already be it), with its outbox entry, both or neither. Allowed only for the current version of a
 * visit (correct the newest correction, not one already replaced), on the same service day and bus, and
 * only during that day: when the tablet holds the day and its bus, `now` must fall on the day's local date
 * in the bus's time zone. Rejects with InvalidRecordError (nothing written), StorageFullError or
 * StorageUnavailableError.
 */
export async function correctVisit(
	db: EscaleDb,
	originalId: string,
	input: unknown,
	now: Date = new Date()
): Promise<Visit> {
	const parsed = parseNewVisit(input);
	if (parsed.correctionOf !== undefined && parsed.correctionOf !== originalId) {
		throw correctionIssue("La correction doit porter l'identifiant de la visite qu'elle remplace");
	}
	const visit: Visit = { ...parsed, correctionOf: originalId };
	if (visit.id === originalId) throw correctionIssue('Une correction ne peut pas se corriger elle-même');
	const queued = await withDigest({
		kind: 'visit.create',
		entityId: visit.id,
		payload: visit,
		createdAt: now.toISOString()
	});

	// Must stay true: at most one correction per visit, so each check-in has exactly one current version.
	await withStorageErrors(() =>
		db.transaction('rw', [...sameDayTables(db), ...outboxTables(db)], async (tx) => {
			const original = await tx.visits.get(originalId);
			if (!original) throw correctionIssue('Visite à corriger inconnue de cette tablette');
			if (original.serviceDayId !== visit.serviceDayId || original.busId !== visit.busId) {
				throw correctionIssue('Une correction garde le passage et le bus de la visite corrigée');
			}
			const refusal = await sameDayRefusal(tx, original, now);
			if (refusal) throw correctionIssue(CORRECTION_REFUSALS[refusal]);
			await tx.visits.add(visit);
			await enqueue(tx, queued);
		})
	);
	return visit;
}

const withdrawalIssue = (message: string): InvalidRecordError =>
	new InvalidRecordError('visit', [{ path: 'visitId', message }]);

/** The ids of `visit` and of every version it corrects, back to the original check-in. */
async function versionsOf(db: Pick<EscaleDb, 'visits'>, visit: Visit): Promise<string[]> {
	const ids = [visit.id];
	let current: Visit | undefined = visit;
	while (current?.correctionOf && !ids.includes(current.correctionOf)) {
		ids.push(current.correctionOf);
		current = await db.visits.get(current.correctionOf);
	}
	return ids;
}

/** The `referral.status` mutation that closes a referral when its check-in is withdrawn. */
function closureOf(referralId: string, at: string) {
	return {
		kind: 'referral.status' as const,
		entityId: referralId,
		payload: { referralId, status: 'closed' as const, at },
		createdAt: at
	};
}

/** The closures of the referrals of visit `visitId` (any version) as they are now, each with its digest. */
async function closureMutations(
	db: EscaleDb,
	visitId: string,
	at: string
): Promise<Map<string, ReturnType<typeof closureOf>>> {
	const visit = await db.visits.get(visitId);
	if (!visit) return new Map();
	const referrals = await db.referrals
		.where('visitId')
		.anyOf(await versionsOf(db, visit))
		.toArray();
	const closures = await Promise.all(referrals.map((referral) => withDigest(closureOf(referral.id, at))));
	return new Map(closures.map((closure) => [closure.entityId, closure]));
}

export interface Withdrawal {
	withdrawal: StoredVisitWithdrawal;
	/** Referrals of the check-in (any of its versions) that were open and are now closed. */
	referralsClosed: number;
}

/**
 * Withdraws visit `visitId`: a withdrawal record naming it and its `visit.withdraw` mutation, then the
 * check-in's open referrals closed with their `referral.status` mutations (a visit that did not happen
 * has no request to follow up), all or nothing. The same-day rule applies: only a check-in's current
 * version, not withdrawn yet, during its service day; withdrawing the current version of a corrected
 * visit withdraws the check-in. The visit itself stays (the server keeps the trace). Rejects with
 * InvalidRecordError (nothing written), StorageFullError or StorageUnavailableError.
 */
export async function withdrawVisit(
	db: EscaleDb,
	visitId: string,
	now: Date = new Date()
): Promise<Withdrawal> {
	const at = now.toISOString();
	const queued = await withDigest({
		kind: 'visit.withdraw',
		entityId: visitId,
		payload: { visitId, at },
		createdAt: at
	});
	// The closures' digests are computed before the transaction, for the referrals read now: a referral
	// found only inside it (written meanwhile) is queued without one, and sent in full after a lost answer.
	const closures = await closureMutations(db, visitId, at);
	// Must stay true: a withdrawal exists on the tablet exactly when its mutation is queued, at most one per
	// visit, and a check-in's referrals are closed with it or not at all.
	return withStorageErrors(() =>
		db.transaction('rw', [...sameDayTables(db), db.referrals, ...outboxTables(db)], async (tx) => {
			const visit = await tx.visits.get(visitId);
			if (!visit) throw withdrawalIssue('Visite à annuler inconnue de cette tablette');
			const refusal = await sameDayRefusal(tx, visit, now);
			if (refusal) throw withdrawalIssue(WITHDRAWAL_REFUSALS[refusal]);
			const withdrawal: StoredVisitWithdrawal = { visitId, serviceDayId: visit.serviceDayId, at };
			await tx.visitWithdrawals.add(withdrawal);
			await enqueue(tx, queued);
			const referrals = await tx.referrals
				.where('visitId')
				.anyOf(await versionsOf(tx, visit))
				.toArray();
			let referralsClosed = 0;
			for (const referral of referrals) {
				if (isReferralFinal(referral.status) || !canMoveReferral(referral.status, 'closed')) continue;
				const parsed = parseReferral({
					...referral,
					status: 'closed',
					history: [...referral.history, { status: 'closed', at }]
				});
				if (!parsed.ok) throw new InvalidRecordError('referral', parsed.issues);
				await tx.referrals.put(parsed.value);
				await enqueue(tx, closures.get(referral.id) ?? closureOf(referral.id, at));
				referralsClosed++;
			}
			return { withdrawal, referralsClosed };
		})
	);
}

/**
 * The current version of every check-in among `visits` (a visit replaced by a correction is left out, its
 * correction kept), ordered by when the original check-in was recorded.
 */
export function currentVersions(visits: readonly Visit[]): Visit[] {
	const byId = new Map(visits.map((visit) => [visit.id, visit]));
	const replaced = new Set(visits.flatMap((visit) => (visit.correctionOf ? [visit.correctionOf] : [])));
	const originalOf = (visit: Visit): Visit => {
		let current = visit;
		const seen = new Set<string>();
		while (current.correctionOf && !seen.has(current.id)) {
			seen.add(current.id);
			const previous = byId.get(current.correctionOf);
			if (!previous) break;
			current = previous;
		}
		return current;
	};
	return visits
		.filter((visit) => !replaced.has(visit.id))
		.map((visit) => ({ visit, original: originalOf(visit) }))
		.sort(
			(a, b) =>
				a.original.recordedAt.localeCompare(b.original.recordedAt) ||
				a.original.id.localeCompare(b.original.id)
		)
		.map(({ visit }) => visit);
}

/**
 * The day's check-ins, each in its current version, in the order the crew first recorded them: `counted`
 * (what the day's figures count) and `withdrawn` (the check-ins the crew withdrew).
 */
export async function readCheckInsOfServiceDay(
	db: EscaleDb,
	serviceDayId: string
): Promise<{ counted: Visit[]; withdrawn: Visit[] }> {
	return db.transaction('r', [db.visits, db.visitWithdrawals], async (tx) => {
		const [visits, withdrawals] = await Promise.all([
			tx.visits.where('serviceDayId').equals(serviceDayId).toArray(),
			tx.visitWithdrawals.where('serviceDayId').equals(serviceDayId).primaryKeys()
		]);
		const withdrawnIds = new Set<string>(withdrawals);
		const current = currentVersions(visits);
		return {
			counted: current.filter((visit) => !withdrawnIds.has(visit.id)),
			withdrawn: current.filter((visit) => withdrawnIds.has(visit.id))
		};
	});
}

/** The day's check-ins that count, each in its current version, in the order the crew first recorded them. */
export async function listCurrentVisitsOfServiceDay(db: EscaleDb, serviceDayId: string): Promise<Visit[]> {
	return (await readCheckInsOfServiceDay(db, serviceDayId)).counted;
}
