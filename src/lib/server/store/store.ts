/**
 * The server store: the one interface route handlers, seeding and (later) sync use to persist data.
 *
 * It is engine-neutral on purpose. SQLite (better-sqlite3) is synchronous and PostgreSQL is not, so every
 * method returns a promise, and nothing here names a driver type: a PostgreSQL adapter can implement the
 * same interface without touching a caller. Only the domain's types cross it.
 */
import type { LocalDate } from '$lib/domain/calendar';
import type { Role } from '$lib/domain/member';
import type { Bus, Circuit, ServiceDay, Stop } from '$lib/domain/schedule';
import type {
	ChangeLogRepository,
	DeviceRecord,
	DeviceRepository,
	EnrollmentCodeRepository,
	SyncRecordRepository,
	SyncStatsRepository
} from './sync-store';

export type * from './sync-store';

export type StoreEngine = 'sqlite' | 'postgres';

export interface StoreHealth {
	engine: StoreEngine;
	/** Highest migration applied; 0 if the database cannot be read. */
	schemaVersion: number;
	/** `wal` on a healthy SQLite file; `memory` for an in-memory database. */
	journalMode: string;
	ok: boolean;
}

/** Inclusive range of local dates. */
export interface DateRange {
	from: LocalDate;
	to: LocalDate;
}

/**
 * A service day as stored. `revision` grows with each stored change (the base of later sync cursors);
 * `editedAt` is set once a coordinator has edited the day, after which regeneration never overwrites it.
 */
export interface StoredServiceDay extends ServiceDay {
	revision: number;
	editedAt: string | null;
}

/** An off-plan day (a crew opened it) with the stop it was held at. */
export interface OffPlanServiceDay extends StoredServiceDay {
	stop: Pick<Stop, 'id' | 'insee' | 'commune' | 'postalCode' | 'place'>;
}

/** What a batch of generated days did: re-running the same generation gives inserted = updated = 0. */
export interface GeneratedDaysResult {
	inserted: number;
	/** Unedited days whose generated content changed (a rule's window moved). */
	updated: number;
	/** Days left alone because a coordinator edited them. */
	keptEdited: number;
}

/**
 * Small facts about the database itself. Keys are listed so a typo is a type error. `deviceCookieSecret`: the
 * key that signs the coordinators' device cookies (src/lib/server/auth/device-cookie.ts), made at first use.
 */
export type MetaKey =
	'demoSeededAt' | 'referenceVersion' | 'deviceCookieSecret' | 'throttleKeySecret' | 'demoEnrollmentCodes';

export interface BusRepository {
	/** Inserts new buses and updates changed ones; an unchanged bus is not rewritten. */
	upsertMany(buses: readonly Bus[]): Promise<void>;
	list(): Promise<Bus[]>;
	get(id: string): Promise<Bus | null>;
	count(): Promise<number>;
}

export interface StopRepository {
	upsertMany(stops: readonly Stop[]): Promise<void>;
	listByBus(busId: string): Promise<Stop[]>;
	/** Every stop of the network, by bus then as listByBus orders them (one read for the public pages). */
	listAll(): Promise<Stop[]>;
	get(id: string): Promise<Stop | null>;
}

export interface CircuitRepository {
	/** Rules are stored whole with their circuit. */
	upsertMany(circuits: readonly Circuit[]): Promise<void>;
	listByBus(busId: string): Promise<Circuit[]>;
	/** Every circuit of the network, by bus then id (one read, whatever the number of buses). */
	listAll(): Promise<Circuit[]>;
	get(id: string): Promise<Circuit | null>;
}

/** How many service days a bus has in a range, and how many of them are cancelled. */
export interface ServiceDayCount {
	days: number;
	cancelled: number;
}

export interface ServiceDayRepository {
	/**
	 * Stores days produced by circuit rules. Missing ids are inserted; existing unedited days are updated
	 * only if their content changed; edited days are never touched. Safe to repeat.
	 */
	upsertGenerated(days: readonly ServiceDay[]): Promise<GeneratedDaysResult>;
	/**
	 * Records a coordinator's edit (cancel, move, new window...): the day becomes `editedAt` and its
	 * revision grows. Returns null if the day does not exist.
	 */
	edit(day: ServiceDay, editedAt: string): Promise<StoredServiceDay | null>;
	/** Every bus's off-plan days within the range with their stop, newest first, at most `limit` (one read). */
	listOffPlan(range: DateRange, limit: number): Promise<OffPlanServiceDay[]>;
	/** Stores a day a crew opened off-plan (`serviceDay.open`), marked off-plan; throws if the id exists. */
	insertOffPlan(day: ServiceDay, at: string): Promise<void>;
	get(id: string): Promise<StoredServiceDay | null>;
	/** Ordered by date then start time. */
	listByBus(busId: string, range: DateRange): Promise<StoredServiceDay[]>;
	/** Ordered by date then start time; all dates when no range is given. */
	listByStop(stopId: string, range?: DateRange): Promise<StoredServiceDay[]>;
	/** The days of all these stops within the range, in one read, ordered by date then start time. */
	listByStops(stopIds: readonly string[], range: DateRange): Promise<StoredServiceDay[]>;
	/** Every bus's days within the range, ordered by date then start time, at most `limit` of them. */
	listBetween(range: DateRange, limit: number): Promise<StoredServiceDay[]>;
	/**
	 * Each bus's days within its own range (a bus's "today" depends on its time zone), counted in one read;
	 * a bus without days in its range is absent from the map.
	 */
	countByBus(ranges: readonly { busId: string; range: DateRange }[]): Promise<Map<string, ServiceDayCount>>;
}

/**
 * A member's account (today every account is a coordinator's: the store still calls it that). `email` is stored
 * in the normal form of src/lib/server/auth/email.ts (NFKC, no spaces or invisible characters, lower-cased); the
 * password only as a scrypt hash string; `roles` decide what it may do (src/lib/server/access).
 */
export interface MemberRecord {
	id: string;
	email: string;
	displayName: string;
	/** At least one; in ROLES order. */
	roles: Role[];
	/** `scrypt$N$r$p$salt$hash` (src/lib/server/auth/password.ts). */
	passwordHash: string;
	createdAt: string;
	disabledAt: string | null;
}

/** A signed-in coordinator's session. `id` is SHA-256 of the cookie's token, hex: the token is never stored. */
export interface MemberSessionRecord {
	id: string;
	memberId: string;
	createdAt: string;
	expiresAt: string;
	lastSeenAt: string;
}

export interface MemberRepository {
	/** Throws if the email is taken (unique). */
	insert(member: MemberRecord): Promise<void>;
	get(id: string): Promise<MemberRecord | null>;
	/** `email` must already be in its normal form (auth/email.ts). */
	getByEmail(email: string): Promise<MemberRecord | null>;
	/** False if there is no such coordinator. */
	setPasswordHash(id: string, passwordHash: string): Promise<boolean>;
	/** Replaces the account's roles (at least one); false if there is no such coordinator. */
	setRoles(id: string, roles: readonly Role[]): Promise<boolean>;
	insertSession(session: MemberSessionRecord): Promise<void>;
	getSession(id: string): Promise<MemberSessionRecord | null>;
	/** Slides the session's expiry; false if it no longer exists. */
	touchSession(id: string, lastSeenAt: string, expiresAt: string): Promise<boolean>;
	deleteSession(id: string): Promise<boolean>;
	/** Deletes the sessions that expired at or before `at`; returns how many. */
	deleteExpiredSessions(at: string): Promise<number>;
}

/** Read side of the enrolled devices, for the coordination page (sync itself never lists devices). */
export interface DeviceListing {
	/** Every device, by bus id then newest enrolment first, at most `limit`. */
	list(limit: number): Promise<DeviceRecord[]>;
	/** The bus's devices, newest enrolment first. */
	listByBus(busId: string): Promise<DeviceRecord[]>;
}

export interface MetaRepository {
	get(key: MetaKey): Promise<string | null>;
	set(key: MetaKey, value: string): Promise<void>;
	/**
	 * Writes `value` only if the key has none, and returns the value the key now holds: the one given, or the
	 * one another caller (another process) wrote first. Two claims at once keep one value.
	 */
	claim(key: MetaKey, value: string): Promise<string>;
}

/** The state of one throttled key: attempts made (growing delays) or tokens left (a bucket), as of `atMs`. */
export interface ThrottleState {
	amount: number;
	atMs: number;
}

/**
 * Throttles shared by every process of one database (auth/brake.ts, sync/enroll-limits.ts): one state per key
 * of a scope. Keys arrive already hashed; the store never sees an email or an address. A read-then-write that
 * must be atomic runs in `store.transaction`.
 */
export interface ThrottleRepository {
	/**
	 * Inside a store transaction, before reading keys it will charge: makes concurrent transactions on any of
	 * these keys wait for this one to end, so no charge is lost (SQLite's write lock already does; PostgreSQL
	 * takes an advisory lock per key, in one order, so two callers never wait on each other).
	 */
	lock(keys: readonly { scope: string; key: string }[]): Promise<void>;
	/** The states of `keys` in `scope` that are not forgotten at `nowMs`, by key. */
	get(scope: string, keys: readonly string[], nowMs: number): Promise<Map<string, ThrottleState>>;
	/** Writes `key`'s state, to be forgotten at `forgetAtMs`. */
	put(scope: string, key: string, state: ThrottleState, forgetAtMs: number): Promise<void>;
	delete(scope: string, key: string): Promise<void>;
	/** Deletes at most `limit` rows forgotten at `nowMs` (any scope); returns how many. */
	sweep(nowMs: number, limit: number): Promise<number>;
	/** Rows kept, forgotten ones included until swept (for tests and the bench). */
	count(): Promise<number>;
}

/** What a transaction callback receives: the same repositories, bound to the open transaction. */
export interface StoreTransaction {
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
}

/** The names of work that runs one process at a time (Store.exclusive). */
export type ExclusiveWork = 'demo-start';

export interface Store extends StoreTransaction {
	readonly engine: StoreEngine;
	/**
	 * Runs `fn` in one transaction: all its writes commit together, or none if it throws. Other callers wait
	 * until it ends. Use only the `tx` handed to `fn` inside it, and do not await the network there: the
	 * database stays locked for writers until `fn` settles.
	 */
	transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T>;
	/**
	 * Runs `fn` while no other caller, in this process or another process on the same database, runs
	 * exclusive work under the same name: what several processes starting at once must do only one at a
	 * time (app.ts: the demo's start). `fn` uses the store as usual (it is not a transaction). PostgreSQL:
	 * a session advisory lock; SQLite: in-process order (one process per database file).
	 */
	exclusive<T>(name: ExclusiveWork, fn: () => Promise<T>): Promise<T>;
	/**
	 * How many write transactions are worth running at once (sync/push.ts takes turns by it): SQLite writes one
	 * at a time; PostgreSQL a fifth of its pool, the rest kept for pages, sign-ins and the pushes' checks.
	 */
	readonly writersAtOnce: number;
	/**
	 * Runs `work` (and everything it starts) after the rest whenever both wait for the database: a tablet's sync
	 * behind people at a screen (hooks.server.ts). PostgreSQL hands a free connection of the pool to the other
	 * work first; SQLite has no queue (one connection, each read and write at once).
	 */
	lowPriority<T>(work: () => Promise<T>): Promise<T>;
	/** Never throws: a failing database answers `ok: false`. */
	health(): Promise<StoreHealth>;
	/** Waits for running work, then closes; the store is unusable afterwards. */
	close(): Promise<void>;
}
