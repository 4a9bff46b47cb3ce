/**
 * Issue 9, the headers: every page of the three areas lives under a strict Content-Security-Policy (no violation
 * reported, in French and English, the crew's pages served by the service worker included), "Autour de moi" still
 * finds the reader's position under the Permissions-Policy, and every answer carries the security headers: pages,
 * static files, the service worker script, the API; HSTS and a Secure session cookie behind TLS only.
 */
import { rmSync } from 'node:fs';
import { expect, test, type APIResponse, type Page } from '@playwright/test';
import { DEMO_COORDINATOR, signIn } from './support/coordination';
import { enrollOnAServiceDay } from './support/crew';
import { serveBuild } from './support/server';

const COMMUNE = '/communes/saint-aout-36180';
const BUS = 'Bus France services du Ruffecois';
/** The French and English address of a page. */
const bothLanguages = (paths: string[]) => [
	...paths,
	...paths.map((path) => (path === '/' ? '/en' : `/en${path}`))
];

/**
 * Collects what the browser reports as refused by a policy, from the first script of every document the page
 * loads: `securitypolicyviolation` events and the console's CSP and Permissions-Policy errors.
 */
async function watchViolations(page: Page): Promise<string[]> {
	const violations: string[] = [];
	await page.exposeBinding('reportPolicyViolation', (_source, violation: string) =>
		violations.push(violation)
	);
	await page.addInitScript(() => {
		document.addEventListener(
			'securitypolicyviolation',
			(event) => {
				const where = `${location.pathname} ${event.sourceFile}:${event.lineNumber}`;
				const report = (window as unknown as { reportPolicyViolation(violation: string): void })
					.reportPolicyViolation;
				report(
					`${event.effectiveDirective} refused ${event.blockedURI || 'inline'} (${where}) ${event.sample}`
				);
			},
			true
		);
	});
	page.on('console', (message) => {
		if (/content security policy|permissions.policy/i.test(message.text()))
			violations.push(`console ${message.type()}: ${message.text()}`);
	});
	return violations;
}

/**
 * Opens `path` and waits until its h1 is shown and, on a page that runs JavaScript, until the app is mounted
 * (SvelteKit's announcer is added then), so that what the scripts render was checked too.
 */
async function visit(page: Page, path: string, { hydrated = true } = {}): Promise<void> {
	await page.goto(path);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	if (hydrated) await expect(page.locator('#svelte-announcer')).toBeAttached();
}

async function stopPath(page: Page): Promise<string> {
	await page.goto(COMMUNE);
	return (await page.getByRole('link', { name: 'Page de cet arrêt' }).first().getAttribute('href')) ?? '';
}

test.describe('no page breaks the Content-Security-Policy', () => {
	test('the public pages, in French and English', async ({ page }) => {
		const violations = await watchViolations(page);
		const stop = await stopPath(page);
		for (const path of bothLanguages(['/', '/?q=saint', COMMUNE, stop, '/communes/nowhere-99999'])) {
			await visit(page, path);
		}
		// Pages without JavaScript (csr = false), and a path no route matches.
		for (const path of bothLanguages([`${COMMUNE}/affiche`, '/demarches', '/accessibilite'])) {
			await visit(page, path, { hydrated: false });
		}
		for (const path of ['/page-qui-n-existe-pas', '/en/no-such-page']) {
			const missing = await page.goto(path);
			expect(missing?.status(), path).toBe(404);
		}
		expect(violations).toEqual([]);
	});

	test('the crew app enrolled as a tablet, a referral form open, in French and English', async ({
		page,
		context
	}) => {
		const violations = await watchViolations(page);
		await enrollOnAServiceDay(page, context, BUS);
		const screens = ['/equipage', '/equipage/journee', '/equipage/orientations', '/equipage/reglages'];
		for (const path of bothLanguages(screens)) await visit(page, path);

		await openReferralForm(page, FRENCH);
		await openReferralForm(page, ENGLISH);
		expect(violations).toEqual([]);
	});

	test('the coordination area, signed out then signed in, in French and English', async ({ page }) => {
		const violations = await watchViolations(page);
		for (const path of ['/coordination/connexion', '/en/coordination/connexion']) await visit(page, path);
		await signIn(page, '/coordination');
		await page.getByLabel('Bus', { exact: true }).selectOption({ label: BUS });
		await page.getByRole('button', { name: 'Émettre un code' }).click();
		await expect(page.getByTestId('issued-code')).toContainText(`Nouveau code pour ${BUS}`);
		for (const path of bothLanguages(['/coordination', '/coordination/orientations']))
			await visit(page, path);
		expect(violations).toEqual([]);
	});
});

interface CheckInLabels {
	home: string;
	checkIn: string;
	request: string;
	partners: string;
	partner: string;
	themes: string;
	theme: string;
	outcome: string;
	referral: string;
	consent: string;
	phone: string;
}

const FRENCH: CheckInLabels = {
	home: '/equipage',
	checkIn: 'Accueillir un visiteur',
	request: 'Demande 1',
	partners: 'Partenaire',
	partner: 'CAF',
	themes: 'Thème',
	theme: 'Famille - Scolarité',
	outcome: 'Orientée vers un partenaire',
	referral: 'Orientation vers : CAF',
	consent: "La personne accepte d'être recontactée par le partenaire",
	phone: 'Téléphone'
};

const ENGLISH: CheckInLabels = {
	home: '/en/equipage',
	checkIn: 'Check a visitor in',
	request: 'Request 1',
	partners: 'Partner',
	partner: 'Family benefits (CAF)',
	themes: 'Theme',
	theme: 'Family, schooling',
	outcome: 'Referred to a partner',
	referral: 'Referral to: Family benefits (CAF)',
	consent: 'The person agrees to be contacted by the partner',
	phone: 'Phone'
};

/** From today's screen, opens the check-in form of the first stop and opens a referral with its contact fields. */
async function openReferralForm(page: Page, labels: CheckInLabels): Promise<void> {
	await visit(page, labels.home);
	await page.getByRole('link', { name: labels.checkIn }).first().click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(labels.checkIn);
	const block = page.getByRole('region', { name: labels.request, exact: true });
	await block
		.getByRole('group', { name: labels.partners })
		.getByLabel(labels.partner, { exact: true })
		.check();
	await block.getByRole('group', { name: labels.themes }).getByLabel(labels.theme, { exact: true }).check();
	await block.getByLabel(labels.outcome, { exact: true }).check();
	const referral = block.getByRole('group', { name: labels.referral });
	await referral.getByLabel(labels.consent).check();
	await expect(referral.getByLabel(labels.phone, { exact: true })).toBeVisible();
}

/** Chromium's reading of the Permissions-Policy the document arrived with (run in the page). */
function documentAllowsGeolocation(): boolean {
	const policy = (document as Document & { featurePolicy?: { allowsFeature(feature: string): boolean } })
		.featurePolicy;
	return policy?.allowsFeature('geolocation') ?? false;
}

test.describe('"Autour de moi" under the Permissions-Policy', () => {
	test.beforeEach(async ({ context }) => {
		await context.grantPermissions(['geolocation']);
		// Near Saint-Août (Indre).
		await context.setGeolocation({ latitude: 46.71, longitude: 1.97 });
	});

	/** Clicks "Autour de moi" and expects Saint-Août among the communes found. */
	async function findCommunesAround(page: Page): Promise<void> {
		await page.getByRole('button', { name: 'Autour de moi' }).click();
		const around = page.getByRole('region', { name: 'Communes desservies autour de vous' });
		await expect(around.getByRole('listitem').first()).toContainText('Saint-Août');
	}

	test('finds the communes around the reader on the search page', async ({ page }) => {
		const violations = await watchViolations(page);
		await visit(page, '/');
		await findCommunesAround(page);
		expect(violations).toEqual([]);
	});

	test('still works when the search is reached from a page where geolocation is refused', async ({
		page
	}) => {
		const violations = await watchViolations(page);
		await visit(page, COMMUNE);
		expect(await page.evaluate(documentAllowsGeolocation)).toBe(false);
		// A client-side navigation: the search shows inside the commune page's document, under its policy.
		await page.getByRole('banner').getByRole('link').first().click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Quand passe le bus France services ?');
		await findCommunesAround(page);
		expect(await page.evaluate(documentAllowsGeolocation)).toBe(true);
		expect(violations).toEqual([]);
	});
});

/** The directives of a Content-Security-Policy header, each with its sources. */
function parsePolicy(header: string | undefined): Record<string, string[]> {
	const directives: Record<string, string[]> = {};
	for (const part of (header ?? '').split(';')) {
		const [name, ...sources] = part.trim().split(/\s+/);
		if (name) directives[name] = sources;
	}
	return directives;
}

/**
 * The headers every answer has (nosniff; never HSTS over plain http) and, on SvelteKit's answers, the referrer
 * policy (a static file makes no request of its own for it to govern).
 */
function expectEveryAnswerHeaders(response: APIResponse, what: string, { isStatic = false } = {}): void {
	const headers = response.headers();
	expect(headers['x-content-type-options'], what).toBe('nosniff');
	expect(headers['referrer-policy'], what).toBe(isStatic ? undefined : 'no-referrer');
	expect(headers['strict-transport-security'], what).toBeUndefined();
}

test.describe('referrer', () => {
	// The requests are the page's own, not the service worker's copies.
	test.use({ serviceWorkers: 'block' });

	test('no link carries a Referer, to another site or to this one', async ({ page, context }) => {
		const referers: Record<string, string | null> = {};
		await context.route('https://www.openstreetmap.org/**', (route) => {
			referers.map = route.request().headers()['referer'] ?? null;
			return route.fulfill({ contentType: 'text/html', body: '<title>OpenStreetMap</title>' });
		});
		await visit(page, COMMUNE);
		await page.getByRole('link', { name: 'Voir sur la carte (OpenStreetMap)' }).first().click();
		await expect(page).toHaveTitle('OpenStreetMap');
		expect(referers).toEqual({ map: null });

		await visit(page, '/');
		const catalog = page.waitForRequest((request) =>
			new URL(request.url()).pathname.startsWith('/demarches')
		);
		await page.getByRole('link', { name: 'Ce que le bus peut faire pour vous, et quoi apporter' }).click();
		expect((await (await catalog).allHeaders())['referer']).toBeUndefined();
	});
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('a posted form passes the cross-site check: the browser says it comes from this site', async ({
		page
	}) => {
		// Under `Referrer-Policy: no-referrer` the browser sends `Origin: null`; Fetch Metadata says same-origin.
		const posted = page.waitForRequest((request) => request.method() === 'POST');
		await page.goto('/coordination/connexion');
		await page.getByLabel('Adresse électronique').fill(DEMO_COORDINATOR.email);
		await page.getByLabel('Mot de passe').fill(DEMO_COORDINATOR.password);
		await page.getByRole('button', { name: 'Se connecter' }).click();
		await expect(page.getByText(`Connecté : ${DEMO_COORDINATOR.name}`)).toBeVisible();
		const headers = await (await posted).allHeaders();
		expect(headers['origin']).toBe('null');
		expect(headers['sec-fetch-site']).toBe('same-origin');
	});
});

test.describe('security headers', () => {
	test('every page has a strict Content-Security-Policy', async ({ request }) => {
		for (const path of [
			'/',
			'/en',
			COMMUNE,
			'/demarches',
			'/equipage',
			'/en/equipage/accueillir',
			'/coordination/connexion'
		]) {
			const response = await request.get(path);
			expect(response.status(), path).toBe(200);
			expectEveryAnswerHeaders(response, path);
			const policy = parsePolicy(response.headers()['content-security-policy']);
			expect(policy['default-src'], path).toEqual(["'self'"]);
			// SvelteKit's boot script by its hash (pages without JavaScript have none); nothing else inline.
			const [self, ...hashes] = policy['script-src'] ?? [];
			expect(self, path).toBe("'self'");
			for (const hash of hashes) expect(hash, path).toMatch(/^'sha256-[A-Za-z0-9+/]{43}='$/);
			expect(policy['style-src'], path).toEqual(["'self'"]);
			// The one style attribute allowed, by its hash: SvelteKit's route announcer.
			expect(policy['style-src-attr'], path).toEqual(["'unsafe-hashes'", expect.stringMatching(/^'sha256-/)]);
			expect(policy['img-src'], path).toEqual(["'self'"]);
			for (const directive of ['connect-src', 'worker-src', 'manifest-src', 'base-uri', 'form-action']) {
				expect(policy[directive], `${path} ${directive}`).toEqual(["'self'"]);
			}
			expect(policy['object-src'], path).toEqual(["'none'"]);
			expect(policy['frame-ancestors'], path).toEqual(["'none'"]);
			expect(response.headers()['x-frame-options'], path).toBe('DENY');
		}
	});

	test('geolocation is allowed to the public search only; the camera and the like to no page', async ({
		request
	}) => {
		const pages = {
			'/': 'geolocation=(self)',
			'/en': 'geolocation=(self)',
			'/?q=saint': 'geolocation=(self)',
			[COMMUNE]: 'geolocation=()',
			'/en/demarches': 'geolocation=()',
			'/equipage': 'geolocation=()',
			'/coordination/connexion': 'geolocation=()',
			'/communes/nowhere-99999': 'geolocation=()',
			'/page-qui-n-existe-pas': 'geolocation=()'
		};
		for (const [path, geolocation] of Object.entries(pages)) {
			const response = await request.get(path);
			const policy = (response.headers()['permissions-policy'] ?? '').split(', ');
			expect(policy, path).toContain(geolocation);
			expect(policy, path).toEqual(
				expect.arrayContaining(['camera=()', 'microphone=()', 'payment=()', 'usb=()'])
			);
		}
	});

	test('static files, the service worker script and the API have them too', async ({ request }) => {
		const home = await request.get('/');
		const stylesheet = /<link href="([^"]+\.css)" rel="stylesheet">/.exec(await home.text())?.[1];
		const script = /<([^>]+\.js)>; rel="modulepreload"/.exec(home.headers()['link'] ?? '')?.[1];
		expect([stylesheet, script]).toEqual([
			expect.stringContaining('/_app/immutable/'),
			expect.stringContaining('/_app/immutable/')
		]);
		const files = {
			stylesheet: new URL(stylesheet ?? '', home.url()).pathname,
			script: new URL(script ?? '', home.url()).pathname,
			icon: '/favicon.svg',
			manifest: '/manifest.webmanifest',
			'service worker': '/service-worker.js'
		};
		for (const [what, path] of Object.entries(files)) {
			const response = await request.get(path);
			expect(response.status(), `${what} ${path}`).toBe(200);
			expectEveryAnswerHeaders(response, `${what} ${path}`, { isStatic: true });
		}
		const api = { health: '/api/health', 'open data': '/api/open/stops.json', refusal: '/api/sync/pull' };
		for (const [what, path] of Object.entries(api)) {
			const response = await request.get(path);
			expect(response.status(), `${what} ${path}`).toBeLessThan(500);
			expectEveryAnswerHeaders(response, `${what} ${path}`);
		}
		// The guard's redirect of a signed-out visitor, thrown by a hook before this one adds its headers, still has
		// those scripts/serve.js gives every answer.
		const guarded = await request.get('/coordination', { maxRedirects: 0 });
		expect(guarded.status()).toBe(303);
		expect(guarded.headers()['x-content-type-options']).toBe('nosniff');
	});

	test('behind TLS the pages ask for HTTPS from now on and the session cookie is Secure; over http neither', async ({
		request,
		baseURL
	}) => {
		const port = Number(new URL(baseURL ?? '').port) + 2;
		const dataDir = 'test-results/e2e-data-tls';
		rmSync(dataDir, { recursive: true, force: true });
		// The same build, told that it is reached at an https address (as behind a TLS proxy).
		const tls = await serveBuild({
			port,
			buildDir: 'build',
			dataDir,
			env: { ORIGIN: 'https://escale.test' }
		});
		try {
			const signIns = [
				{ server: tls.url, origin: 'https://escale.test', overTls: true },
				{ server: baseURL ?? '', origin: baseURL ?? '', overTls: false }
			];
			for (const { server, origin, overTls } of signIns) {
				const home = await request.get(`${server}/`);
				expect(home.headers()['strict-transport-security'], origin).toBe(
					overTls ? 'max-age=31536000; includeSubDomains' : undefined
				);
				const signedIn = await request.post(`${server}/coordination/connexion`, {
					// As a browser posts the form without JavaScript.
					headers: { origin, accept: 'text/html' },
					form: {
						email: DEMO_COORDINATOR.email,
						password: DEMO_COORDINATOR.password,
						suite: '/coordination'
					},
					maxRedirects: 0
				});
				expect(signedIn.status(), origin).toBe(303);
				const cookie = signedIn
					.headersArray()
					.find(
						(header) =>
							header.name.toLowerCase() === 'set-cookie' && /^escale_coordination=[^;]/.test(header.value)
					);
				expect(cookie?.value, origin).toMatch(/; HttpOnly/i);
				expect(/;\s*Secure(;|$)/i.test(cookie?.value ?? ''), origin).toBe(overTls);
				expect(signedIn.headers()['strict-transport-security'], origin).toBe(
					overTls ? 'max-age=31536000; includeSubDomains' : undefined
				);
			}
		} finally {
			await tls.stop();
		}
	});
});
