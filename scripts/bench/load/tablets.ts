/**
 * 200 simulated tablets, each pushing its bus day (a report that the bus is late, 300 visits, a referral every
 * tenth visit, a report that the day was held) through the real client transport (gzip body, strict answer
 * checks), in batches of the engine's normal size, one batch at a time as the engine sends them.
 *
 * Faults, drawn from a seeded generator so that runs compare: an answer dropped after the server sent it (the
 * tablet retries a batch the server has applied), a request aborted on the way (applied or not: the tablet
 * cannot tell), and the same batch sent twice at once to two processes. A retry resends the same mutations
 * under the same ids. The load generator is also the load balancer: round-robin over the processes it has not
 * seen refuse a connection; a request that fails to connect is retried on another one.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_MAX_BATCH_COUNT } from '$lib/client/sync/engine';
import { createTransport, type FetchLike, type TransportResult } from '$lib/client/sync/transport';
import type { ServiceDayReport, PushResponse } from '$lib/sync';
import { expandResults, PushResponseSchema, toPushRequest, type Mutation } from '$lib/sync';
import { makeReferral } from '$factories/referral';
import { generateVisits, random } from '../fixtures';
import { errorCode } from './http';
import type { AppProcess } from './servers';
import type { TabletSeat } from './world';

export const VISITS_PER_DAY = 300;
/** A referral every tenth visit. */
const REFERRAL_EVERY = 10;
export const REPORTS_PER_DAY = 2;
export const MUTATIONS_PER_DAY = REPORTS_PER_DAY + VISITS_PER_DAY + VISITS_PER_DAY / REFERRAL_EVERY;

/** Chances per request attempt. */
const FAULTS = { answerLost: 0.04, aborted: 0.03, duplicated: 0.05 };

/** The mutations of one bus day, numbered from 1 in the order the crew made them. */
export function busDay(seat: TabletSeat, seed: number): Mutation[] {
	const { day, busId } = seat;
	const mutations: Omit<Mutation, 'mutationId'>[] = [];
	const report = (payload: ServiceDayReport) =>
		mutations.push({
			kind: 'serviceDay.report',
			entityId: day.id,
			schemaVersion: 1,
			createdAt: payload.at,
			payload
		});
	report({ serviceDayId: day.id, report: 'late', delayMinutes: 15, at: `${day.date}T07:10:00.000Z` });
	const dueDate = new Date(Date.parse(`${day.date}T00:00:00Z`) + 14 * 86_400_000).toISOString().slice(0, 10);
	generateVisits(VISITS_PER_DAY, [day], seed, busId).forEach((visit, index) => {
		mutations.push({
			kind: 'visit.create',
			entityId: visit.id,
			schemaVersion: 1,
			createdAt: visit.recordedAt,
			payload: visit
		});
		if (index % REFERRAL_EVERY !== REFERRAL_EVERY - 1) return;
		const referral = makeReferral({
			id: randomUUID(),
			visitId: visit.id,
			busId,
			recordedAt: visit.recordedAt,
			target: 'franceServicesReferent',
			mode: 'partnerPlatform',
			dueDate
		});
		mutations.push({
			kind: 'referral.create',
			entityId: referral.id,
			schemaVersion: 1,
			createdAt: referral.recordedAt,
			payload: referral
		});
	});
	report({ serviceDayId: day.id, report: 'held', at: `${day.date}T16:05:00.000Z` });
	return mutations.map((mutation, index) => ({ ...mutation, mutationId: index + 1 }) as Mutation);
}

/** Round-robin over the processes not seen refusing a connection. */
export class Balancer<App extends { url: string } = AppProcess> {
	#next = 0;
	readonly #down = new Set<App>();
	constructor(readonly apps: App[]) {}

	pick(): App {
		const live = this.apps.filter((app) => !this.#down.has(app));
		// All refused: try them again (a process restarting), rather than stop the tablets.
		const pool = live.length > 0 ? live : this.apps;
		return pool[this.#next++ % pool.length] as App;
	}

	down(app: App): void {
		this.#down.add(app);
	}
}

export interface LoadStats {
	/** Push requests that got an answer (whatever its status), as the tablet timed them, ms. */
	pushMs: number[];
	/** Failures as the tablets saw them, by kind. */
	errors: Map<string, number>;
	/** Faults injected, by kind. */
	faults: Map<string, number>;
	/** Mutations acknowledged (first time each batch settled). */
	acknowledged: number;
	firstSentAt: number;
	lastSettledAt: number;
	/** Tablets that gave up (the scenario's deadline passed). */
	unfinished: number;
}

const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

class InjectedFault extends Error {}

export interface Tablet {
	token: string;
	mutations: Mutation[];
	/** Its own connections (http.ts). */
	fetch: FetchLike;
}

interface Attempt {
	settled: boolean;
}

export class LoadGenerator {
	readonly stats: LoadStats = {
		pushMs: [],
		errors: new Map(),
		faults: new Map(),
		acknowledged: 0,
		firstSentAt: Number.POSITIVE_INFINITY,
		lastSettledAt: 0,
		unfinished: 0
	};
	readonly #next: () => number;

	constructor(
		readonly balancer: Balancer,
		seed: number,
		readonly deadline: number
	) {
		this.#next = random(seed);
	}

	/** Each tablet starts at a random time within `spreadMs` (0: all at once) and pushes its day. */
	async run(tablets: Tablet[], spreadMs: number): Promise<void> {
		const starts = tablets.map(() => this.#next() * spreadMs);
		await Promise.all(tablets.map((tablet, i) => this.#tablet(tablet, starts[i] ?? 0)));
	}

	async #tablet(tablet: Tablet, startMs: number): Promise<void> {
		await sleep(startMs);
		for (let from = 0; from < tablet.mutations.length; from += DEFAULT_MAX_BATCH_COUNT) {
			const batch = tablet.mutations.slice(from, from + DEFAULT_MAX_BATCH_COUNT);
			for (let attempt = 1; ; attempt++) {
				if (Date.now() > this.deadline) {
					this.stats.unfinished++;
					return;
				}
				if (await this.#send(tablet, batch)) break;
				// The engine's scheduler waits longer; a short growing pause keeps the bench within its time.
				await sleep(Math.min(2000, 50 * 2 ** attempt * (0.5 + this.#next())));
			}
			this.stats.acknowledged += batch.length;
			this.stats.lastSettledAt = performance.now();
		}
	}

	/** One attempt at a batch: true when every mutation of it is acknowledged (applied or duplicate). */
	async #send(tablet: Tablet, batch: Mutation[]): Promise<boolean> {
		const draw = this.#next();
		const fault =
			draw < FAULTS.answerLost
				? 'answer lost'
				: draw < FAULTS.answerLost + FAULTS.aborted
					? 'request aborted'
					: draw < FAULTS.answerLost + FAULTS.aborted + FAULTS.duplicated
						? 'sent twice at once'
						: null;
		if (fault) add(this.stats.faults, fault);
		if (fault === 'sent twice at once') {
			const attempts = await Promise.all([this.#post(tablet, batch, null), this.#post(tablet, batch, null)]);
			return attempts.some((attempt) => attempt.settled);
		}
		return (await this.#post(tablet, batch, fault)).settled;
	}

	async #post(tablet: Tablet, batch: Mutation[], fault: string | null): Promise<Attempt> {
		const app = this.balancer.pick();
		let failure: string | null = null;
		const abortAfterMs = fault === 'request aborted' ? this.#next() * 40 : null;
		const fetchVia: FetchLike = async (path, init) => {
			const signals = [init.signal, abortAfterMs === null ? null : AbortSignal.timeout(abortAfterMs)];
			try {
				const response = await tablet.fetch(`${app.url}${path}`, {
					...init,
					signal: AbortSignal.any(signals.filter((signal) => signal !== null && signal !== undefined))
				});
				if (fault !== 'answer lost') return response;
				await response.arrayBuffer();
			} catch (error) {
				if (abortAfterMs !== null) throw new InjectedFault('aborted');
				const code = errorCode(error);
				if (code === 'ECONNREFUSED') this.balancer.down(app);
				failure = `connection: ${code}`;
				throw error;
			}
			throw new InjectedFault('answer lost');
		};
		const transport = createTransport({ fetch: fetchVia });
		this.stats.firstSentAt = Math.min(this.stats.firstSentAt, performance.now());
		const started = performance.now();
		const answer = await transport.post(
			'/api/sync/push',
			toPushRequest(batch),
			PushResponseSchema,
			tablet.token
		);
		const ms = performance.now() - started;
		if (fault === 'request aborted') return { settled: false };
		if (failure) {
			add(this.stats.errors, failure);
			return { settled: false };
		}
		this.stats.pushMs.push(ms);
		if (fault === 'answer lost') return { settled: false };
		return { settled: this.#judge(answer, batch) };
	}

	#judge(answer: TransportResult<PushResponse>, batch: Mutation[]): boolean {
		if (!answer.ok) {
			add(this.stats.errors, 'status' in answer ? `${answer.kind} ${answer.status}` : answer.kind);
			return false;
		}
		const results = expandResults(answer.body.results);
		if (!results || results.length !== batch.length) {
			add(this.stats.errors, 'answer not covering the batch');
			return false;
		}
		// Counted once per answer: a batch answered `retry` is one failed request, not 200.
		const failed = new Set<string>();
		let settled = true;
		for (const result of results) {
			if (result.status === 'applied' || result.status === 'duplicate') continue;
			failed.add(`answered ${result.status}${result.reason ? ` (${result.reason})` : ''}`);
			// A rejection is final (the counts show it); anything else is sent again.
			if (result.status !== 'rejected') settled = false;
		}
		for (const kind of failed) add(this.stats.errors, kind);
		return settled;
	}
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
