/**
 * The SQLite implementation of the Store. better-sqlite3 is synchronous and one connection serves the
 * whole process, so the store serialises work through a gate: while a transaction awaits between two
 * statements, other callers queue instead of slipping their writes into it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type {
	BusRepository,
	ChangeLogRepository,
	ExclusiveWork,
	CircuitRepository,
	MemberRepository,
	DeviceListing,
	DeviceRepository,
	EnrollmentCodeRepository,
	MetaRepository,
	SyncRecordRepository,
	SyncStatsRepository,
	ServiceDayRepository,
	StopRepository,
	Store,
	StoreHealth,
	StoreTransaction,
	ThrottleRepository
} from '../store';
import { createBusRepository } from './buses';
import { createChangeLogRepository, createSyncStatsRepository } from './change-log';
import { createDeviceRepository, createEnrollmentCodeRepository } from './devices';
import { createCircuitRepository } from './circuits';
import { createMemberRepository } from './members';
import { openDatabase, readJournalMode, type SqliteDatabase } from './connection';
import type { Exec, Now } from './exec';
import { createMetaRepository } from './meta';
import { applyMigrations, readSchemaVersion } from './migrate';
import { latestSchemaVersion, migrations } from './migrations';
import { createServiceDayRepository } from './service-days';
import { createStopRepository } from './stops';
import { createSyncRecordRepository } from './sync-records';
import { createThrottleRepository } from './throttles';

export interface SqliteStoreOptions {
	/** A file path, or `:memory:` for tests. */
	file: string;
	now?: Now;
}

/** Opens the database, applies pending migrations and returns the store. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
	const now = options.now ?? (() => new Date().toISOString());
	const db = openDatabase(options.file);
	try {
		applyMigrations(db, migrations, now);
	} catch (error) {
		db.close();
		throw error;
	}
	return new SqliteStore(db, now);
}

/** A FIFO lock: each holder starts when the previous one has settled. */
class Gate {
	#tail: Promise<unknown> = Promise.resolve();

	hold<T>(work: () => T | Promise<T>): Promise<T> {
		const result = this.#tail.then(work);
		this.#tail = result.catch(() => undefined);
		return result;
	}
}

function createRepositories(exec: Exec, now: Now): StoreTransaction {
	return {
		buses: createBusRepository(exec, now),
		stops: createStopRepository(exec, now),
		circuits: createCircuitRepository(exec, now),
		serviceDays: createServiceDayRepository(exec, now),
		meta: createMetaRepository(exec, now),
		devices: createDeviceRepository(exec),
		enrollmentCodes: createEnrollmentCodeRepository(exec),
		syncRecords: createSyncRecordRepository(exec),
		changeLog: createChangeLogRepository(exec),
		syncStats: createSyncStatsRepository(exec),
		members: createMemberRepository(exec),
		throttles: createThrottleRepository(exec)
	};
}

class SqliteStore implements Store {
	readonly engine = 'sqlite' as const;
	readonly buses: BusRepository;
	readonly stops: StopRepository;
	readonly circuits: CircuitRepository;
	readonly serviceDays: ServiceDayRepository;
	readonly meta: MetaRepository;
	readonly devices: DeviceRepository & DeviceListing;
	readonly enrollmentCodes: EnrollmentCodeRepository;
	readonly syncRecords: SyncRecordRepository;
	readonly changeLog: ChangeLogRepository;
	readonly syncStats: SyncStatsRepository;
	readonly members: MemberRepository;
	readonly throttles: ThrottleRepository;
	#db: SqliteDatabase;
	#now: Now;
	readonly writersAtOnce = 1;
	#gate = new Gate();
	#exclusive = new Map<ExclusiveWork, Gate>();
	#closed = false;
	/** Marks the async context of a running transaction, to catch a callback that uses the store itself. */
	#insideTransaction = new AsyncLocalStorage<true>();

	constructor(db: SqliteDatabase, now: Now) {
		this.#db = db;
		this.#now = now;
		const repositories = createRepositories(<T>(work: (db: SqliteDatabase) => T) => this.#run(work), now);
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

	#run<T>(work: (db: SqliteDatabase) => T): Promise<T> {
		if (this.#insideTransaction.getStore()) {
			// Queuing here would wait for the transaction that is waiting for us: fail loudly instead.
			return Promise.reject(
				new Error('Inside store.transaction(fn), use the tx passed to fn, not the store.')
			);
		}
		return this.#gate.hold(() => work(this.#open()));
	}

	#open(): SqliteDatabase {
		if (this.#closed) throw new Error('The store is closed.');
		return this.#db;
	}

	transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
		if (this.#insideTransaction.getStore()) {
			return Promise.reject(new Error('Transactions do not nest: use the tx you already have.'));
		}
		return this.#gate.hold(async () => {
			const db = this.#open();
			let active = true;
			const exec: Exec = async (work) => {
				if (!active) throw new Error('This transaction has ended: its tx cannot be used any more.');
				return work(db);
			};
			// IMMEDIATE takes the write lock now, so a second process cannot make us fail half-way (SQLITE_BUSY).
			db.exec('BEGIN IMMEDIATE');
			try {
				const result = await this.#insideTransaction.run(true, () => fn(createRepositories(exec, this.#now)));
				db.exec('COMMIT');
				return result;
			} catch (error) {
				if (db.inTransaction) db.exec('ROLLBACK');
				throw error;
			} finally {
				active = false;
			}
		});
	}

	health(): Promise<StoreHealth> {
		const failed: StoreHealth = { engine: 'sqlite', schemaVersion: 0, journalMode: 'unknown', ok: false };
		return this.#run((db): StoreHealth => {
			const schemaVersion = readSchemaVersion(db);
			const journalMode = readJournalMode(db);
			db.prepare('SELECT 1 FROM buses LIMIT 1').get();
			const durable = journalMode === 'wal' || journalMode === 'memory';
			return {
				engine: 'sqlite',
				schemaVersion,
				journalMode,
				ok: durable && schemaVersion === latestSchemaVersion
			};
		}).catch(() => failed);
	}

	/** One process per SQLite file: exclusive work only has to wait for the same work in this process. */
	exclusive<T>(name: ExclusiveWork, fn: () => Promise<T>): Promise<T> {
		const gate = this.#exclusive.get(name) ?? new Gate();
		this.#exclusive.set(name, gate);
		return gate.hold(fn);
	}

	/** Every read and write runs at once on the one connection: there is no queue to go last in. */
	lowPriority<T>(work: () => Promise<T>): Promise<T> {
		return work();
	}

	async close(): Promise<void> {
		await this.#gate.hold(() => {
			if (this.#closed) return;
			this.#closed = true;
			this.#db.close();
		});
	}
}
