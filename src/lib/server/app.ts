/**
 * The server's lifetime: `startServer()` runs once, from SvelteKit's `init` hook, before the first request;
 * route handlers then reach the store through `getStore()`. Logs name files and counts, never people.
 */
import { building } from '$app/environment';
import { localDateIn, type LocalDate } from '$lib/domain/calendar';
import { DEMO_ACCOUNTS, DEMO_COORDINATOR_EMAIL, ensureDemoMember } from './auth/members';
import { DEFAULT_DEMO_PASSWORD, describeDatabase, readConfig, type ServerConfig } from './config';
import { isDemoSeeded, seedDemo } from './demo/seed';
import { log, setLogFormat, type LogFields } from './log';
import { openStore } from './store/open';
import type { Store } from './store/store';
import {
	issueDemoEnrollmentCodes,
	readDemoEnrollmentCodes,
	recordDemoEnrollmentCodes,
	type DemoEnrollmentCode
} from './sync/demo-codes';

/** Where the start's events go (log.ts by default); tests pass a silent one or collect the messages. */
export type Log = (event: string, message: string, fields?: LogFields) => void;

const toProcessLog: Log = (event, message, fields) => log().info(event, message, fields);

let started: Promise<Store> | null = null;
let store: Store | null = null;
let demoMember: DemoMember | null = null;

/** The demo's sign-in, shown on the sign-in page in demo mode only (a demo credential, not a person's). */
export interface DemoMember {
	email: string;
	password: string;
}

/** Opens (and migrates) the store and seeds the demo if asked. Safe to call twice: the second call waits for the first. */
export function startServer(config?: ServerConfig, report: Log = toProcessLog): Promise<Store> {
	started ??= start(config, report).catch((error: unknown) => {
		started = null;
		throw error;
	});
	return started;
}

async function start(given: ServerConfig | undefined, report: Log): Promise<Store> {
	// Prerendering at build time runs `init` too: it must not create or seed a database on the build machine.
	const config: ServerConfig = building
		? { dataDir: '', database: { engine: 'sqlite', file: ':memory:' }, seedDemo: false }
		: (given ?? readConfig());
	if (!given) setLogFormat(config.logFormat ?? 'text');
	const opened = await openStore(config.database);
	const health = await opened.health();
	const database = describeDatabase(config.database);
	report(
		'store.opened',
		`Escale store: ${health.engine} ${database}, schema version ${health.schemaVersion}, journal ${health.journalMode}`,
		{
			engine: health.engine,
			database,
			schemaVersion: health.schemaVersion,
			journal: health.journalMode
		}
	);
	try {
		// Several processes starting at once on one database: one at a time, each finding the previous one's work.
		if (config.seedDemo) await opened.exclusive('demo-start', () => startDemo(opened, config, report));
	} catch (error) {
		await opened.close();
		throw error;
	}
	store = opened;
	return opened;
}

async function startDemo(opened: Store, config: ServerConfig, report: Log): Promise<void> {
	await seedDemoIfWanted(opened, report);
	if (!(await isDemoSeeded(opened))) return;
	const codes = await issueDemoEnrollmentCodes(opened);
	await recordDemoEnrollmentCodes(opened, codes);
	for (const { busId, busName, code } of codes) {
		report('demo.enrollment_code', `Escale demo enrollment code: ${code} (${busName})`, { busId, code });
	}
	const password = config.demoPassword ?? DEFAULT_DEMO_PASSWORD;
	for (const account of DEMO_ACCOUNTS) {
		await ensureDemoMember(opened, password, undefined, account);
		report('demo.account', `Escale demo ${account.roles.join('+')} sign-in: ${account.email} / ${password}`, {
			email: account.email,
			roles: account.roles.join('+')
		});
	}
	demoMember = { email: DEMO_COORDINATOR_EMAIL, password };
}

/**
 * Seeds an empty database; a database already seeded with the demo is topped up, so the demo always shows
 * the next 12 weeks. A database holding real buses (not seeded by the demo) is never touched.
 */
async function seedDemoIfWanted(target: Store, report: Log): Promise<void> {
	const seeded = await isDemoSeeded(target);
	if (!seeded && (await target.buses.count()) > 0) return;
	const summary = await seedDemo(target, todayInParis());
	report(
		'demo.seeded',
		`Escale demo: ${summary.buses} buses, ${summary.circuits} circuits, ${summary.serviceDays.inserted} new service days`,
		{
			buses: summary.buses,
			circuits: summary.circuits,
			newServiceDays: summary.serviceDays.inserted
		}
	);
}

/** The demo's "today": the mainland's date, which is the date for most buses (overseas ones differ by hours). */
function todayInParis(): LocalDate {
	return localDateIn(new Date(), 'Europe/Paris');
}

/** The store opened by `startServer()`; throws if the server has not started (a bug, not a user error). */
export function getStore(): Store {
	if (!store) throw new Error('The store is not open: startServer() has not completed.');
	return store;
}

/**
 * The demo enrollment codes to show: the last ones any process of this database issued at its start, still
 * valid (none outside the demo).
 */
export async function getDemoEnrollmentCodes(target: Store): Promise<DemoEnrollmentCode[]> {
	return demoMember ? readDemoEnrollmentCodes(target) : [];
}

/** The demo coordinator's sign-in, or null outside the demo. */
export function getDemoMember(): DemoMember | null {
	return demoMember;
}

/** Closes the store (tests, graceful shutdown); `startServer()` may then run again. */
export async function stopServer(): Promise<void> {
	const pending = started;
	started = null;
	store = null;
	demoMember = null;
	const current = await pending?.catch(() => null);
	await current?.close();
}
