/**
 * Issue 11, item 2: a bus stops where its circuit did not plan it. On a day without a planned stop (or, when the
 * calendar has none, after the day's planned ones), the crew opens
 * an off-plan stop offline (a commune from the official list the tablet keeps, a place, times), checks a visitor
 * in on it, and syncs once back online: the coordination lists it marked "Hors circuit", and the commune, which
 * had no stop, gets its public page with the day held.
 */
import AxeBuilder from '@axe-core/playwright';
import { TZDate } from '@date-fns/tz';
import { expect, test, type Page } from '@playwright/test';
import { communeSlug } from '../../src/lib/domain/commune-slug';
import {
	checkIn,
	findBusForOffPlan,
	freshEnrollmentCode,
	readHeldDepartements,
	readOffPlanDays,
	readStopInseeCodes
} from './support/crew';
import { waitForServiceWorkerControl } from './support/service-worker';

const PLACE = 'Parking de la salle des fêtes';

async function axeViolations(page: Page): Promise<string[]> {
	const result = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	return result.violations.map((violation) => `${violation.id}: ${violation.nodes.length}`);
}

test('an off-plan stop opened offline reaches the coordination and the commune page once synced', async ({
	page,
	context
}) => {
	test.setTimeout(120_000);
	const { busName, date, departement, planned } = findBusForOffPlan();

	// A commune of the bus's département where no bus stops yet: it has no public page.
	const list = await page.request.get(`/api/open/communes/${departement}.json`);
	expect(list.status()).toBe(200);
	const served = readStopInseeCodes();
	const { items } = (await list.json()) as {
		items: { insee: string; name: string; postalCodes: string[] }[];
	};
	const commune = items.find((item) => !served.has(item.insee) && item.postalCodes.length > 0)!;
	expect(commune).toBeDefined();
	const slug = communeSlug(commune.name, commune.insee);
	expect((await page.request.get(`/communes/${slug}`)).status()).toBe(404);

	// Enrol online; the tablet fetches the communes of its département after its first sync.
	const code = await freshEnrollmentCode(page, busName);
	await page.goto('/equipage');
	await waitForServiceWorkerControl(page);
	await page.getByLabel("Code d'enrôlement").fill(code);
	await page.getByRole('button', { name: 'Enrôler la tablette' }).click();
	await expect(page.getByRole('heading', { name: new RegExp(`Aujourd'hui · ${busName}`) })).toBeVisible();
	await expect.poll(() => readHeldDepartements(page)).toContain(departement);

	// The tablet's today at 18:00 in Paris, when no planned window of the demo is open. Then the network goes.
	const [year, month, day] = date.split('-').map(Number) as [number, number, number];
	await context.clock.setFixedTime(new TZDate(year, month - 1, day, 18, 0, 'Europe/Paris'));
	await context.setOffline(true);
	await page.reload();
	const today = page.getByRole('region', { name: new RegExp(`Aujourd'hui · ${busName}`) });
	const opener = today.getByRole('button', { name: 'Ouvrir un arrêt hors circuit' });
	await expect(opener).toBeVisible();
	if (planned === 0) {
		await expect(today).toContainText("Pas de passage prévu aujourd'hui pour ce bus.");
		await expect(today.getByRole('article')).toHaveCount(0);
	}
	const cardsBefore = await today.getByRole('article').count();

	// Open the off-plan stop: the commune from the list, searched offline.
	await opener.click();
	await expect(opener).toHaveAttribute('aria-expanded', 'true');
	const form = page.locator('#off-plan-form');
	await form.getByLabel('Commune', { exact: true }).fill(commune.name);
	const choice = form
		.getByRole('group', { name: 'Communes trouvées' })
		.getByLabel(`${commune.name} (${commune.postalCodes[0]})`, { exact: true });
	await expect(choice).toBeChecked();
	await form.getByLabel('Lieu', { exact: true }).fill(PLACE);
	await expect(form.getByLabel('Début')).toHaveValue('18:00');
	await expect(form.getByLabel('Fin')).toHaveValue('20:00');
	expect(await axeViolations(page)).toEqual([]);
	await form.getByRole('button', { name: "Ouvrir l'arrêt" }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Arrêt hors circuit ouvert' })).toContainText(
		`${commune.name}, ${PLACE}`
	);
	await expect(opener).toBeFocused();

	// It is today's stop at once: held, marked off-plan; a visitor is checked in on it.
	await expect(today.getByRole('article')).toHaveCount(cardsBefore + 1);
	const stop = today.getByRole('article').filter({ hasText: PLACE });
	await expect(stop).toHaveCount(1);
	await expect(stop).toContainText(`${commune.name}, ${PLACE}`);
	await expect(stop).toContainText('Tenu');
	await expect(stop).toContainText('Hors circuit');
	expect(await axeViolations(page)).toEqual([]);
	await stop.getByRole('link', { name: 'Accueillir un visiteur' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accueillir un visiteur');
	await checkIn(page, [{ partner: 'CAF', theme: 'Famille - Scolarité', outcome: 'Résolue' }]);
	await expect(page.getByTestId('sync-badge')).toHaveText("2 en attente d'envoi");

	// Back online: one sync sends both, in order.
	await context.setOffline(false);
	await page.goto('/equipage');
	await page.getByRole('button', { name: 'Synchroniser maintenant' }).click();
	await expect(page.getByTestId('sync-badge')).toHaveText('Tout est envoyé');
	const offPlan = readOffPlanDays().filter((row) => row.date === date);
	expect(offPlan).toEqual([expect.objectContaining({ status: 'held', visits: 1 })]);

	// The coordination lists it, marked off-plan in words.
	const office = await context.newPage();
	await office.goto('/coordination');
	const rows = office.getByRole('table', { name: 'Arrêts hors circuit' }).getByRole('row');
	const row = rows.filter({ hasText: commune.name });
	await expect(row).toHaveCount(1);
	await expect(row).toContainText('Hors circuit');
	await expect(row).toContainText(PLACE);
	await expect(row).toContainText(busName);
	await expect(row).toContainText('Tenu');

	// The commune now has its public page, the day held and off-plan.
	await office.goto(`/communes/${slug}`);
	await expect(office.getByRole('heading', { level: 1 })).toContainText(commune.name);
	const days = office.getByRole('list', { name: 'Prochains passages' });
	await expect(days.getByRole('listitem')).toHaveCount(1);
	await expect(days.getByRole('listitem')).toContainText('Tenu');
	await expect(days.getByRole('listitem')).toContainText('Hors circuit');
	await office.close();
});
