import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { expect, request as playwrightRequest, test, type APIRequestContext } from '@playwright/test';
import { createTestPgDatabase, type TestPgDatabase } from '../factories/postgres';
import { DEMO_COORDINATOR, signIn } from './support/coordination';
import { enrollOverApi, freshEnrollmentCode } from './support/crew';
import { serveBuild, type RunningServer } from './support/server';
import { pushOverApi, referralCreate, visitCreate } from './support/sync-api';

/**
 * Two app processes on one PostgreSQL database, as the network runs behind a load balancer (issue 12): they
 * start at the same moment on an empty database (both migrate and seed the demo: one at a time), and then give
 * the same answers as one process would. A record pushed through one is pulled through the other, and a second
 * push of it through the other is a duplicate; a coordinator signed in on one is signed in on the other, and
 * signed out on both by one; a sign-in brake charged on one holds on the other. The processes serve the
 * build the other tests use (build/, made by the webServer command).
 */
const FIRST_PORT = Number(process.env.ESCALE_E2E_PORT ?? 4173) + 2;
const DATA_DIR = 'test-results/e2e-two-processes-data';
const BUS = 'Bus France services du Ruffecois';

let database: TestPgDatabase | undefined;
let servers: RunningServer[] = [];

test.use({ baseURL: `http://localhost:${FIRST_PORT}` });
// The tests share the two processes and their database; the brake's test charges this machine's address.
test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
	test.setTimeout(180_000);
	rmSync(DATA_DIR, { recursive: true, force: true });
	database = await createTestPgDatabase();
	const env = { ESCALE_DATABASE_URL: '', DATABASE_URL: database.url };
	const started = await Promise.allSettled(
		[0, 1].map((index) => serveBuild({ port: FIRST_PORT + index, buildDir: 'build', dataDir: DATA_DIR, env }))
	);
	servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
	// One that failed to start fails the file; afterAll stops the other and drops the database.
	for (const result of started) if (result.status === 'rejected') throw result.reason;
});

test.afterAll(async () => {
	await Promise.all(servers.map((server) => server.stop()));
	servers = [];
	await database?.drop();
	rmSync(DATA_DIR, { recursive: true, force: true });
});

/** The process other than the first, as a request context of its own (no cookies). */
function second(): Promise<APIRequestContext> {
	return playwrightRequest.newContext({ baseURL: servers[1]?.url });
}

test('both processes report PostgreSQL and its schema, and the demo was seeded once', async ({ request }) => {
	const other = await second();
	for (const context of [request, other]) {
		const health = await (await context.get('/api/health')).json();
		expect(health).toMatchObject({ status: 'ok', database: { engine: 'postgres', ok: true } });
	}
	// Both list the same 163 buses of the demo (one seed, not two).
	const [one, two] = await Promise.all(
		[request, other].map(async (context) => (await context.get('/api/open/buses.json')).json())
	);
	expect(one.count).toBe(163);
	expect(two.items).toEqual(one.items);
	await other.dispose();
});

test('a record pushed through one process is pulled through the other, and a replay there is a duplicate', async ({
	page,
	request
}) => {
	const other = await second();
	const writer = await enrollOverApi(request, await freshEnrollmentCode(page, BUS));
	const reader = await enrollOverApi(other, await freshEnrollmentCode(page, BUS));
	const serviceDayId: string = writer.snapshot.serviceDays[0].id;
	const at = new Date().toISOString();
	const visitId = randomUUID();
	const referralId = randomUUID();
	const mutations = [
		visitCreate(1, {
			id: visitId,
			busId: writer.bus.id,
			serviceDayId,
			at,
			referenceVersion: writer.referenceVersion,
			outcome: 'referred'
		}),
		referralCreate(2, {
			id: referralId,
			visitId,
			busId: writer.bus.id,
			at,
			referenceVersion: writer.referenceVersion,
			dueDate: '2027-01-05',
			contact: null
		})
	];
	const pushed = await pushOverApi(request, writer.token, mutations);
	expect(pushed.status()).toBe(200);
	expect((await pushed.json()).results.map((r: { status: string }) => r.status)).toEqual([
		'applied',
		'applied'
	]);

	const pulled = await other.post('/api/sync/pull', {
		headers: { Authorization: `Bearer ${reader.token}` },
		data: { protocol: 1, cursor: reader.snapshot.cursor, limit: 500 }
	});
	expect(pulled.status()).toBe(200);
	const { changes } = await pulled.json();
	expect(
		changes.filter(
			(change: { entity: string; id: string }) => change.entity === 'referral' && change.id === referralId
		)
	).toHaveLength(1);

	// The writer's answer was lost: it sends the same push again, and the load balancer picks the other process.
	const replayed = await pushOverApi(other, writer.token, mutations);
	expect(replayed.status()).toBe(200);
	expect((await replayed.json()).results.map((r: { status: string }) => r.status)).toEqual([
		'duplicate',
		'duplicate'
	]);
	await other.dispose();
});

test('a coordinator signed in on one process is signed in on the other, and signed out of both by one', async ({
	page
}) => {
	const [first, other] = servers.map((server) => server.url) as [string, string];
	await signIn(page, '/coordination');
	// Cookies are the host's, whatever the port: the browser sends the same session to the other process.
	await page.goto(`${other}/coordination`);
	await expect(page).toHaveURL(`${other}/coordination`);
	await expect(page.getByText(`Connecté : ${DEMO_COORDINATOR.name}`)).toBeVisible();

	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await expect(page).toHaveURL(`${other}/coordination/connexion`);
	await page.goto(`${first}/coordination`);
	await expect(page).toHaveURL(`${first}/coordination/connexion?suite=%2Fcoordination`);
});

test('a sign-in brake charged on one process holds on the other', async ({ request }) => {
	const other = await second();
	const [first, otherUrl] = servers.map((server) => server.url) as [string, string];
	const form = { email: DEMO_COORDINATOR.email, password: 'pas-le-bon-mot-de-passe', suite: '/coordination' };
	const attempt = (context: APIRequestContext, origin: string) =>
		context.post('/coordination/connexion', { form, headers: { Origin: origin, Accept: 'text/html' } });

	// Wrong passwords through the first process, each one sent once the previous wait is over, until this
	// address must wait 4 s or more: a margin that no scheduling delay on a busy machine eats up.
	let wait = 0;
	for (let tries = 0; wait < 4 && tries < 12; tries++) {
		const answer = await attempt(request, first);
		if (answer.status() === 429) {
			wait = Number(answer.headers()['retry-after']);
			if (wait < 4) await new Promise((resolve) => setTimeout(resolve, wait * 1000));
		} else {
			expect(answer.status()).toBe(401);
		}
	}
	expect(wait).toBeGreaterThanOrEqual(4);

	// The other process knows: it refuses at once, and asks for the rest of the same wait.
	const refused = await attempt(other, otherUrl);
	expect(refused.status()).toBe(429);
	expect(Number(refused.headers()['retry-after'])).toBeGreaterThanOrEqual(1);
	expect(Number(refused.headers()['retry-after'])).toBeLessThanOrEqual(wait);
	expect(await refused.text()).toContain('Trop de tentatives de connexion : par sécurité, attendez');
	await other.dispose();
});
