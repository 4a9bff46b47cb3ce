/**
 * On a slow line the server's HTML arrives well before the JavaScript, and people type into it. Hydration must
 * keep what they typed: a field whose value the page writes from the server's data or the action's answer used
 * to be rewritten with it (the sign-in lost the address typed before hydration, which made
 * coordination-referrals.spec.ts fail under load). Each test holds the scripts back, types, lets them through,
 * waits until the page is hydrated, then checks the field and submits it.
 */
import { expect, test } from '@playwright/test';
import { DEMO_COORDINATOR, signIn } from './support/coordination';
import { holdScripts, waitForHydration } from './support/hydration';

// Scripts are held with page.route, which does not see what a service worker fetches.
test.use({ serviceWorkers: 'block' });

const COMMUNE = 'Ruffec';

test('the sign-in keeps the address typed before hydration, and signs in with it', async ({ page }) => {
	const scripts = await holdScripts(page);
	await page.goto('/coordination/connexion?suite=%2Fcoordination', { waitUntil: 'commit' });
	await page.getByLabel('Adresse électronique').fill(DEMO_COORDINATOR.email);
	await page.getByLabel('Mot de passe').fill(DEMO_COORDINATOR.password);

	await scripts.release();

	await expect(page.getByLabel('Adresse électronique')).toHaveValue(DEMO_COORDINATOR.email);
	await expect(page.getByLabel('Mot de passe')).toHaveValue(DEMO_COORDINATOR.password);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page).toHaveURL((url) => url.pathname === '/coordination');
	await expect(page.getByText(`Connecté : ${DEMO_COORDINATOR.name}`)).toBeVisible();
});

test('after a refused attempt, the sign-in keeps the address corrected before hydration', async ({
	page
}) => {
	const scripts = await holdScripts(page);
	await page.goto('/coordination/connexion?suite=%2Fcoordination', { waitUntil: 'commit' });
	// Refused by the server without a wrong password (a guess would slow the other tests' sign-ins by the
	// brake): the browser skips its own checks, as some old ones do, and the password is left empty.
	const mistyped = DEMO_COORDINATOR.email.replace('@', '@x');
	await page.getByLabel('Adresse électronique').fill(mistyped);
	await page.locator('form.sign-in').evaluate((form: HTMLFormElement) => (form.noValidate = true));
	await page.getByRole('button', { name: 'Se connecter' }).click();
	// The answer is a new page, its scripts still held; it sends back the address it was given.
	await expect(page.getByRole('alert')).toHaveText('Champ « Mot de passe » : saisissez votre mot de passe.');
	await expect(page.getByLabel('Adresse électronique')).toHaveValue(mistyped);
	await page.getByLabel('Adresse électronique').fill(DEMO_COORDINATOR.email);
	await page.getByLabel('Mot de passe').fill(DEMO_COORDINATOR.password);

	await scripts.release();

	await expect(page.getByLabel('Adresse électronique')).toHaveValue(DEMO_COORDINATOR.email);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page).toHaveURL((url) => url.pathname === '/coordination');
});

test('the search keeps the commune typed before hydration, and searches for it', async ({ page }) => {
	const scripts = await holdScripts(page);
	await page.goto('/', { waitUntil: 'commit' });
	await page.getByRole('searchbox').fill(COMMUNE);

	await scripts.release();

	await expect(page.getByRole('searchbox')).toHaveValue(COMMUNE);
	await page.getByRole('button', { name: 'Chercher' }).click();
	await expect(page).toHaveURL((url) => url.searchParams.get('q') === COMMUNE);
	await expect(page.getByRole('heading', { name: `Communes trouvées pour « ${COMMUNE} »` })).toBeVisible();
});

test('a page of results keeps another commune typed before hydration', async ({ page }) => {
	const scripts = await holdScripts(page);
	await page.goto(`/?q=${COMMUNE}`, { waitUntil: 'commit' });
	await expect(page.getByRole('searchbox')).toHaveValue(COMMUNE);
	await page.getByRole('searchbox').fill('Confolens');

	await scripts.release();

	await expect(page.getByRole('searchbox')).toHaveValue('Confolens');
	await page.getByRole('button', { name: 'Chercher' }).click();
	await expect(page).toHaveURL((url) => url.searchParams.get('q') === 'Confolens');
});

test('once hydrated, the search field still follows the query of the page shown', async ({ page }) => {
	await page.goto('/');
	await waitForHydration(page);
	await page.getByRole('searchbox').fill(COMMUNE);
	await page.getByRole('button', { name: 'Chercher' }).click();
	await expect(page).toHaveURL((url) => url.searchParams.get('q') === COMMUNE);

	// Back to the page without a query (the same page, its data changed): the field says so too.
	await page.goBack();
	await expect(page).toHaveURL((url) => url.pathname === '/' && url.search === '');
	await expect(page.getByRole('searchbox')).toHaveValue('');
});

test('the referral filter and the bus of a new code keep what was chosen before hydration', async ({
	page
}) => {
	await signIn(page, '/coordination');

	let scripts = await holdScripts(page);
	await page.goto('/coordination/orientations?status=open', { waitUntil: 'commit' });
	await page.getByLabel('Statut', { exact: true }).selectOption('closed');
	await scripts.release();
	await expect(page.getByLabel('Statut', { exact: true })).toHaveValue('closed');

	await page.unrouteAll();
	scripts = await holdScripts(page);
	await page.goto('/coordination', { waitUntil: 'commit' });
	const bus = page.getByLabel('Bus', { exact: true });
	// Not the first bus of the list, which the page would show anyway.
	const option = bus.locator('option').nth(2);
	const [chosen, name] = [await option.getAttribute('value'), await option.innerText()];
	expect(chosen).not.toBeNull();
	await bus.selectOption(chosen ?? '');
	await scripts.release();
	await expect(bus).toHaveValue(chosen ?? '');
	await page.getByRole('button', { name: 'Émettre un code' }).click();
	await expect(page.getByTestId('issued-code')).toContainText(`Nouveau code pour ${name.trim()}`);
});
