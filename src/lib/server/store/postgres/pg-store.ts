/**
 * The PostgreSQL store (issue 12): the Store interface on a node-postgres pool, chosen by a `postgres://`
 * database URL (store/open.ts). A transaction holds one connection from BEGIN to COMMIT and hands its
 * repositories that connection; outside one, repositories query the pool (a write of several statements
 * opens its own transaction: scope.ts). Commits are durable before any answer: health() checks that
 * `synchronous_commit` is on, as SQLite's checks its WAL.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type {
	BusRepository,
	ExclusiveWork,
	CircuitRepository,
	MemberRepository,
	MetaRepository,
	ServiceDayRepository,
	StopRepository,
	Store,
	StoreHealth,
	StoreTransaction,
	ThrottleRepository
} from '../store';
import type { Now } from '../sqlite/exec';
import { createPgBusRepository } from './buses';
import { createPgChangeLogRepository } from './change-log';
import { createPgCircuitRepository } from './circuits';
import { openPgDatabase, type PgDatabase } from './connection';
import { createPgDeviceRepository, createPgEnrollmentCodeRepository } from './devices';
import { createPgMemberRepository } from './members';
import { createPgMetaRepository } from './meta';
import { applyPgMigrations, readPgSchemaVersion } from './migrate';
import { latestPgSchemaVersion, pgMigrations } from './migrations';
import { poolScope, transactionScope, type PgScope } from './scope';
import { createPgServiceDayRepository } from './service-days';
import { createPgStopRepository } from './stops';
import { createPgSyncRecordRepository } from './sync-records';
import { createPgSyncStatsRepository } from './sync-stats';
import { createPgThrottleRepository } from './throttles';

export interface PgStoreOptions {
	url: string;
	now?: Now;
	/** Connections kept in the pool (default 10). */
	maxConnections?: number;
}

/** Advisory lock keys of exclusive work: constants no other lock of the app uses (migrate.ts uses 5_141_520_001). */
const EXCLUSIVE_LOCKS: Record<ExclusiveWork, number> = { 'demo-start': 5_141_520_002 };

function createRepositories(scope: PgScope, now: Now): StoreTransaction {
	return {
		buses: createPgBusRepository(scope, now),
		stops: createPgStopRepository(scope, now),
		circuits: createPgCircuitRepository(scope, now),
		serviceDays: createPgServiceDayRepository(scope, now),
		meta: createPgMetaRepository(scope, now),
		devices: createPgDeviceRepository(scope),
		enrollmentCodes: createPgEnrollmentCodeRepository(scope),
		syncRecords: createPgSyncRecordRepository(scope),
		changeLog: createPgChangeLogRepository(scope),
		syncStats: createPgSyncStatsRepository(scope),
		members: createPgMemberRepository(scope),
		throttles: createPgThrottleRepository(scope)
	};
}

/**
 * A fifth of the pool writes pushes at once; the rest answers pages, sign-ins and the pushes' own checks without
 * queueing behind them. Measured with npm run bench:load, 200 tablets at once on 2 processes: 8 writers of 10,
 * public reads p95 231 ms, p99 508 ms; 5, 156 and 345 ms; 3, 94-122 and 280-361 ms; records/s the same within noise.
 * Once a push wrote its referrals in one go (12 round trips instead of 84), 3 writers a process pushed 7,378
 * records/s and kept the database so busy that pages waited (p95 228 ms, p99 315 ms); 2 writers, 6,811 records/s,
 * p95 168 ms, p99 243 ms; pushes spread over a minute, p99 157 ms.
 */
export function writersFor(maxConnections: number): number {
	return Math.max(1, Math.floor(maxConnections / 5));
}

/** Opens the pool and applies the pending migrations (several processes starting at once apply them once). */
export async function openPgStore(options: PgStoreOptions): Promise<Store> {
	const now = options.now ?? (() => new Date().toISOString());
	const db = openPgDatabase(options.url, { max: options.maxConnections ?? 10 });
	try {
		await applyPgMigrations(db, pgMigrations, now);
	} catch (error) {
		await db.close();
		throw error;
	}
	return new PgStore(db, now, writersFor(options.maxConnections ?? 10));
}

class PgStore implements Store {
	readonly engine = 'postgres' as const;
	readonly buses: BusRepository;
	readonly stops: StopRepository;
	readonly circuits: CircuitRepository;
	readonly serviceDays: ServiceDayRepository;
	readonly meta: MetaRepository;
	readonly devices: StoreTransaction['devices'];
	readonly enrollmentCodes: StoreTransaction['enrollmentCodes'];
	readonly syncRecords: StoreTransaction['syncRecords'];
	readonly changeLog: StoreTransaction['changeLog'];
	readonly syncStats: StoreTransaction['syncStats'];
	readonly members: MemberRepository;
	readonly throttles: ThrottleRepository;
	#db: PgDatabase;
	#now: Now;
	#closed = false;
	/** Marks the async context of a running transaction, to catch a callback that uses the store itself. */
	#insideTransaction = new AsyncLocalStorage<true>();

	readonly writersAtOnce: number;

	constructor(db: PgDatabase, now: Now, writersAtOnce: number) {
		this.writersAtOnce = writersAtOnce;
		this.#db = db;
		this.#now = now;
		const repositories = createRepositories(this.#guarded(poolScope(db)), now);
		this.buses = repositories.buses;
		this.stops = repositories.stops;
		this.circuits = repositories.circuits;
		this.serviceDays = repositories.serviceDays;
		this.meta = repositories.meta;
		this.devices = repositories.devices;
		this.enrollmentCodes = repositories.enrollmentCodes;
		this.syncRecords = repositories.syncRecords;
		this.changeLog = repositories.changeLog;
		this.syncStats = repositories.syncStats;
		this.members = repositories.members;
		this.throttles = repositories.throttles;
	}

	/** The pool's scope, refusing use from inside a transaction (it would not see, or would wait for, its writes). */
	#guarded(scope: PgScope): PgScope {
		const check = () => {
			if (this.#closed) throw new Error('The store is closed.');
			if (this.#insideTransaction.getStore()) {
				throw new Error('Inside store.transaction(fn), use the tx passed to fn, not the store.');
			}
		};
		return {
			query: async (sql, params) => {
				check();
				return scope.query(sql, params);
			},
			atomic: async (fn) => {
				check();
				return scope.atomic(fn);
			}
		};
	}

	transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
		if (this.#insideTransaction.getStore()) {
			return Promise.reject(new Error('Transactions do not nest: use the tx you already have.'));
		}
		if (this.#closed) return Promise.reject(new Error('The store is closed.'));
		return this.#db.transaction(async (connection) => {
			let active = true;
			const scope = transactionScope(connection);
			const live: PgScope = {
				query: (sql, params) => {
					if (!active) throw new Error('This transaction has ended: its tx cannot be used any more.');
					return scope.query(sql, params);
				},
				atomic: (work) => {
					if (!active) throw new Error('This transaction has ended: its tx cannot be used any more.');
					return scope.atomic(work);
				}
			};
			try {
				return await this.#insideTransaction.run(true, () => fn(createRepositories(live, this.#now)));
			} finally {
				active = false;
			}
		});
	}

	exclusive<T>(name: ExclusiveWork, fn: () => Promise<T>): Promise<T> {
		if (this.#closed) return Promise.reject(new Error('The store is closed.'));
		return this.#db.exclusive(EXCLUSIVE_LOCKS[name], fn);
	}

	lowPriority<T>(work: () => Promise<T>): Promise<T> {
		return this.#db.lowPriority(work);
	}

	async health(): Promise<StoreHealth> {
		const failed: StoreHealth = { engine: 'postgres', schemaVersion: 0, journalMode: 'unknown', ok: false };
		try {
			const schemaVersion = await readPgSchemaVersion(this.#db);
			const [setting] = await this.#db.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
			await this.#db.query('SELECT 1 FROM buses LIMIT 1');
			const journalMode = `synchronous_commit=${setting?.synchronous_commit ?? 'unknown'}`;
			return {
				engine: 'postgres',
				schemaVersion,
				journalMode,
				ok: setting?.synchronous_commit !== 'off' && schemaVersion === latestPgSchemaVersion
			};
		} catch {
			return failed;
		}
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		await this.#db.close();
	}
}
