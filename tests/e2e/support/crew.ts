/**
 * What the crew tests do again and again: get a fresh enrollment code from /coordination (signed in as the demo
 * coordinator, which signs the whole browser context in), enrol a tablet,
 * pin the tablet's clock on one of its bus's service days (so "today" has a stop whatever day the tests run),
 * check a visitor in through the form, and read what the server stored (its SQLite file, read-only).
 */
import { createHash, randomBytes } from 'node:crypto';
import { TZDate } from '@date-fns/tz';
import Database from 'better-sqlite3';
import { expect, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import { signIn } from './coordination';
import { waitForServiceWorkerControl } from './service-worker';

/** The e2e server's database (playwright.config.ts: ESCALE_DATA_DIR=test-results/e2e-data). */
const SERVER_DB = 'test-results/e2e-data/escale.sqlite';

/** Issues a new one-time code for `busName` on /coordination (signing in first if needed) and returns it. */
export async function freshEnrollmentCode(page: Page, busName: string): Promise<string> {
	await signIn(page, '/coordination');
	await page.getByLabel('Bus', { exact: true }).selectOption({ label: busName });
	await page.getByRole('button', { name: 'Émettre un code' }).click();
	const issued = page.getByTestId('issued-code');
	await expect(issued).toContainText(`Nouveau code pour ${busName}`);
	const code = (await issued.locator('code').innerText()).trim();
	expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
	return code;
}

/**
 * Enrols a tablet through the API as the app does it: the secret is made here and only its SHA-256 is sent
 * (docs/sync-protocol.md). Returns the enrollment answer and the bearer token built from the secret.
 */
export async function enrollOverApi(request: APIRequestContext, code: string, appVersion = '0.1.0+e2e') {
	const secret = randomBytes(32).toString('base64url');
	const secretHash = createHash('sha256').update(secret, 'utf8').digest('hex');
	const enrolled = await request.post('/api/sync/enroll', {
		data: { protocol: 1, code, appVersion, secretHash }
	});
	expect(enrolled.status()).toBe(201);
	const body = await enrolled.json();
	return { ...body, token: `${body.deviceId}.${secret}` };
}

/**
 * Enrols the tablet online, then pins its clock at 11:00 in Paris on the bus's next planned service day (inside
 * a morning stop whatever the season: the check-in files a visit under the stop open now) and
 * reloads, so that day is "today". Returns that day's date. The service worker is in charge before it returns.
 */
export async function enrollOnAServiceDay(
	page: Page,
	context: BrowserContext,
	busName: string
): Promise<string> {
	const code = await freshEnrollmentCode(page, busName);
	await page.goto('/equipage');
	await waitForServiceWorkerControl(page);
	await page.getByLabel("Code d'enrôlement").fill(code);
	await page.getByRole('button', { name: 'Enrôler la tablette' }).click();
	const next = page.getByRole('list', { name: 'Prochains passages' }).getByRole('listitem');
	await expect(next.first()).toBeVisible();
	// The first day of the list that is not cancelled.
	const items = await next.all();
	let date = '';
	for (const item of items) {
		if ((await item.innerText()).includes('Annulé')) continue;
		date = (await item.locator('time').getAttribute('datetime')) ?? '';
		break;
	}
	expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
	const [year, month, day] = date.split('-').map(Number) as [number, number, number];
	await context.clock.setFixedTime(new TZDate(year, month - 1, day, 11, 0, 'Europe/Paris'));
	await page.reload();
	await expect(page.getByRole('heading', { name: new RegExp(`Aujourd'hui · ${busName}`) })).toBeVisible();
	return date;
}

export interface VisitorRequest {
	partner: string;
	theme: string;
	outcome: 'Résolue' | 'À finir seul' | 'Doit revenir' | 'Orientée vers un partenaire';
	online?: boolean;
}

/** Fills one request block (the n-th, from 1) of the check-in form. */
/**
 * Waits until no sync runs or waits in this browser (the engine's Web Lock, `escale-sync`, is neither held nor
 * asked for). A test that moves the tablet's clock after going offline waits for this first: a sync still in
 * flight would otherwise be stamped with the new time.
 */
export async function waitForSyncIdle(page: Page): Promise<void> {
	await expect
		.poll(() =>
			page.evaluate(async () => {
				const { held = [], pending = [] } = await navigator.locks.query();
				return [...held, ...pending].filter((lock) => lock.name === 'escale-sync').length;
			})
		)
		.toBe(0);
}

export async function fillRequest(page: Page, n: number, request: VisitorRequest): Promise<void> {
	const block = page.getByRole('region', { name: `Demande ${n}`, exact: true });
	await block.getByRole('group', { name: 'Partenaire' }).getByLabel(request.partner, { exact: true }).check();
	await block.getByRole('group', { name: 'Thème' }).getByLabel(request.theme, { exact: true }).check();
	await block.getByRole('group', { name: 'Issue' }).getByLabel(request.outcome, { exact: true }).check();
	if (request.online) await block.getByLabel('Démarche en ligne').check();
}

/** Checks a visitor in with `requests` and waits for the tablet to confirm; returns the confirmation. */
export async function checkIn(page: Page, requests: VisitorRequest[]): Promise<string> {
	for (const [index, request] of requests.entries()) {
		if (index > 0) await page.getByRole('button', { name: 'Ajouter une autre demande' }).click();
		await fillRequest(page, index + 1, request);
	}
	await page.getByRole('button', { name: 'Enregistrer la visite' }).click();
	const confirmation = page.getByRole('status').filter({ hasText: 'Visite enregistrée' });
	await expect(confirmation).toBeVisible();
	return confirmation.innerText();
}

/** What the server stored for the bus's most recently enrolled tablet. */
export interface ServerRecords {
	visitIds: string[];
	/** The visits withdrawn (visit_withdrawals): each also stays among `visitIds`. */
	withdrawnVisitIds: string[];
	referrals: { status: string; contact: unknown; consent: unknown }[];
	reports: { report: string }[];
	/** The public status of the days the tablet reported on (what the public pages show). */
	reportedDays: { status: string; reason: string | null }[];
}

export function readServerRecords(busName: string): ServerRecords {
	const db = new Database(SERVER_DB, { readonly: true, fileMustExist: true });
	try {
		const device = db
			.prepare(
				`SELECT devices.id FROM devices JOIN buses ON buses.id = devices.bus_id
				 WHERE buses.name = ? ORDER BY devices.created_at DESC, devices.rowid DESC LIMIT 1`
			)
			.get(busName) as { id: string } | undefined;
		if (!device) throw new Error(`no tablet enrolled for ${busName}`);
		const visitIds = (
			db.prepare('SELECT id FROM visits WHERE device_id = ? ORDER BY id').all(device.id) as { id: string }[]
		).map((row) => row.id);
		const withdrawnVisitIds = (
			db
				.prepare('SELECT visit_id FROM visit_withdrawals WHERE device_id = ? ORDER BY visit_id')
				.all(device.id) as { visit_id: string }[]
		).map((row) => row.visit_id);
		const referrals = (
			db.prepare('SELECT payload FROM referrals WHERE device_id = ? ORDER BY id').all(device.id) as {
				payload: string;
			}[]
		).map((row) => JSON.parse(row.payload) as ServerRecords['referrals'][number]);
		const reports = db
			.prepare('SELECT report FROM service_day_reports WHERE device_id = ? ORDER BY id')
			.all(device.id) as ServerRecords['reports'];
		const reportedDays = db
			.prepare(
				`SELECT status, reason FROM service_days WHERE id IN
				 (SELECT service_day_id FROM service_day_reports WHERE device_id = ?) ORDER BY id`
			)
			.all(device.id) as ServerRecords['reportedDays'];
		return { visitIds, withdrawnVisitIds, referrals, reports, reportedDays };
	} finally {
		db.close();
	}
}

/** The ids of the visits on the tablet (its IndexedDB), to compare with the server's. */
export function readDeviceVisitIds(page: Page): Promise<string[]> {
	return page.evaluate(
		() =>
			new Promise<string[]>((resolve, reject) => {
				const open = indexedDB.open('escale');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const request = open.result.transaction('visits').objectStore('visits').getAllKeys();
					request.onerror = () => reject(request.error);
					request.onsuccess = () => {
						open.result.close();
						resolve((request.result as string[]).sort());
					};
				};
			})
	);
}

/**
 * Where an off-plan stop is tried: a demo bus of the mainland's zone with a circuit, a date of the server's
 * today or tomorrow in Paris (the server takes an opening within a day of its own date, and the public pages
 * show days from the server's today), the bus's département, and how many service days the circuit planned
 * on that date. A bus and date without any is preferred (the crew's case "nothing planned today"); on a date
 * where every bus has a stop, a bus with some is returned: the off-plan stop is then opened at 18:00, after
 * every planned window of the demo (the latest ends at 16:30), so the test passes whatever the calendar.
 */
export function findBusForOffPlan(): {
	busName: string;
	date: string;
	departement: string;
	planned: number;
} {
	const db = new Database(SERVER_DB, { readonly: true, fileMustExist: true });
	try {
		const now = new Date();
		const paris = (offsetDays: number) =>
			new TZDate(now.getTime() + offsetDays * 86_400_000, 'Europe/Paris').toISOString().slice(0, 10);
		const buses = db
			.prepare(
				`SELECT DISTINCT b.id, b.name, b.departement FROM buses b JOIN circuits c ON c.bus_id = b.id
				 WHERE b.time_zone = 'Europe/Paris' ORDER BY b.name`
			)
			.all() as { id: string; name: string; departement: string }[];
		const latestEnd = db.prepare('SELECT max(end_time) AS latest FROM service_days').get() as {
			latest: string;
		};
		if (latestEnd.latest >= '18:00') throw new Error(`a demo day ends at ${latestEnd.latest}, after 18:00`);
		const count = db.prepare('SELECT count(*) AS n FROM service_days WHERE bus_id = ? AND date = ?');
		const candidates = [paris(0), paris(1)].flatMap((date) =>
			buses.map((bus) => ({
				busName: bus.name,
				date,
				departement: bus.departement,
				planned: (count.get(bus.id, date) as { n: number }).n
			}))
		);
		const choice = candidates.find((candidate) => candidate.planned === 0) ?? candidates[0];
		if (!choice) throw new Error('no demo bus with a circuit in the mainland zone');
		return choice;
	} finally {
		db.close();
	}
}

/** The INSEE codes of every stop the server knows (a commune with none of them has no public page yet). */
export function readStopInseeCodes(): Set<string> {
	const db = new Database(SERVER_DB, { readonly: true, fileMustExist: true });
	try {
		return new Set(
			(db.prepare('SELECT DISTINCT insee FROM stops').all() as { insee: string }[]).map((row) => row.insee)
		);
	} finally {
		db.close();
	}
}

/** The off-plan service days the server holds, with the visits filed under each. */
export function readOffPlanDays(): { id: string; status: string; date: string; visits: number }[] {
	const db = new Database(SERVER_DB, { readonly: true, fileMustExist: true });
	try {
		return db
			.prepare(
				`SELECT d.id, d.status, d.date, (SELECT count(*) FROM visits v WHERE v.service_day_id = d.id) AS visits
				 FROM service_days d WHERE d.off_plan = 1 ORDER BY d.id`
			)
			.all() as { id: string; status: string; date: string; visits: number }[];
	} finally {
		db.close();
	}
}

/** The départements whose official communes the tablet holds (IndexedDB, meta `reference.communes`). */
export function readHeldDepartements(page: Page): Promise<string[]> {
	return page.evaluate(
		() =>
			new Promise<string[]>((resolve, reject) => {
				const open = indexedDB.open('escale');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const request = open.result.transaction('meta').objectStore('meta').get('reference.communes');
					request.onerror = () => reject(request.error);
					request.onsuccess = () => {
						open.result.close();
						const row = request.result as { value?: Record<string, unknown> } | undefined;
						resolve(Object.keys(row?.value ?? {}).sort());
					};
				};
			})
	);
}
