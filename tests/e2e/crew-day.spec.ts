/**
 * Issue 4: a whole day on the bus with the network cut, then the sync. Enrol (the one step that needs the network),
 * cut it, open today's stop, check 20 visitors in, refer two of them (one with consent and a phone number, one
 * without), correct a visit, mark the day held, close and reopen the app: everything is there. Back online:
 * everything reaches the server exactly once, and a coordinator's change to a referral comes back to the tablet.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import {
	checkIn,
	enrollOnAServiceDay,
	readServerRecords,
	readDeviceVisitIds,
	type VisitorRequest
} from './support/crew';

const BUS = 'Bus France services de Vouziers';

/** Twenty visitors: varied partners, themes and outcomes, some with two requests. Visitors 6 and 13 are referred. */
const VISITORS: VisitorRequest[][] = Array.from({ length: 20 }, (_, i) => {
	const partners = [
		'CAF',
		'Impôts',
		'Assurance Maladie',
		'Emploi',
		'Retraite de base',
		'Papiers et véhicule'
	];
	const themes = [
		'Famille - Scolarité',
		'Argent - Impôts - Consommation',
		'Social - Santé',
		'Travail - Formation'
	];
	const outcomes = ['Résolue', 'À finir seul', 'Doit revenir'] as const;
	const first: VisitorRequest = {
		partner: partners[i % partners.length]!,
		theme: themes[i % themes.length]!,
		outcome: outcomes[i % outcomes.length]!,
		online: i % 4 === 0
	};
	return i % 5 === 2 ? [first, { partner: 'La Poste', theme: 'Logement', outcome: 'Résolue' }] : [first];
});
const REFERRED = new Set([5, 12]);
const PHONE = '06 12 34 56 78';

async function axeViolations(page: Page): Promise<string[]> {
	const result = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	return result.violations.map((violation) => `${violation.id}: ${violation.nodes.length}`);
}

/** Inputs that would take typed text (a name, a number): the visit form must have none. */
const TYPED_TEXT =
	'form input:not([type]), form input[type=text], form input[type=tel], form input[type=email], form input[type=search], form textarea';

test('a day offline: 20 check-ins, two referrals, a correction and a report reach the server once', async ({
	page: firstPage,
	context
}) => {
	test.setTimeout(180_000);
	let page = firstPage;
	await enrollOnAServiceDay(page, context, BUS);
	await context.setOffline(true);

	// Today's stop, opened offline.
	await page.reload();
	const today = page.getByRole('region', { name: new RegExp(`Aujourd'hui · ${BUS}`) });
	// Vouziers serves two villages on some days: the first stop of the day is the one worked here.
	const stop = today.getByRole('article').first();
	await expect(stop).toContainText('Prévu');
	expect(await axeViolations(page)).toEqual([]);
	await stop.getByRole('link', { name: 'Accueillir un visiteur' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accueillir un visiteur');
	expect(await page.locator(TYPED_TEXT).count()).toBe(0);
	expect(await axeViolations(page)).toEqual([]);

	for (const [index, requests] of VISITORS.entries()) {
		if (!REFERRED.has(index)) {
			expect(await checkIn(page, requests)).toContain(`(${index + 1} aujourd'hui)`);
			continue;
		}
		const block = page.getByRole('region', { name: 'Demande 1', exact: true });
		await block.getByRole('group', { name: 'Partenaire' }).getByLabel('CAF', { exact: true }).check();
		await block
			.getByRole('group', { name: 'Thème' })
			.getByLabel('Famille - Scolarité', { exact: true })
			.check();
		await block.getByLabel('Orientée vers un partenaire', { exact: true }).check();
		const referral = block.getByRole('group', { name: 'Orientation vers : CAF' });
		await referral.getByLabel('Motif').selectOption({ label: 'Paiement bloqué ou trop-perçu' });
		// Without the consent box ticked, there is nowhere to type a contact.
		expect(await page.locator(TYPED_TEXT).count()).toBe(0);
		if (index === 5) {
			await referral.getByLabel("La personne accepte d'être recontactée par le partenaire").check();
			await referral.getByLabel('Téléphone').fill(PHONE);
			await referral.getByLabel('Moment préféré pour être rappelé').selectOption({ label: 'Le matin' });
			expect(await axeViolations(page)).toEqual([]);
		}
		await page.getByRole('button', { name: 'Enregistrer la visite' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Visite enregistrée' })).toContainText(
			'Orientations enregistrées : 1.'
		);
	}

	// The day's summary, then a correction of the first visit.
	await page.getByRole('link', { name: 'Bilan du jour' }).click();
	const figures = page.locator('dl.figures').first();
	await expect(figures).toContainText('Visites 20');
	await expect(figures).toContainText('Orientations 2');
	expect(await axeViolations(page)).toEqual([]);
	await page
		.getByRole('link', { name: /^Corriger/ })
		.first()
		.click();
	await expect(page.getByText('Correction de la visite de')).toBeVisible();
	await page
		.getByRole('region', { name: 'Demande 1', exact: true })
		.getByLabel('Doit revenir', { exact: true })
		.check();
	await page.getByRole('button', { name: 'Enregistrer la correction' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Correction enregistrée' })).toBeVisible();

	// The stop is held.
	await page.getByRole('link', { name: "Aujourd'hui" }).click();
	const firstStop = page.getByRole('article').first();
	await firstStop.getByLabel('Passage tenu').check();
	await firstStop.getByRole('button', { name: 'Enregistrer le signalement' }).click();
	await expect(firstStop.getByRole('status').filter({ hasText: 'Signalement enregistré' })).toContainText(
		'Passage tenu'
	);
	await expect(firstStop).toContainText('Tenu');

	// Close the app and open it again, still offline: everything is there, and waits.
	await page.close();
	page = await context.newPage();
	await page.goto('/equipage/journee');
	await expect(page.locator('dl.figures').first()).toContainText('Visites 20');
	await expect(page.locator('dl.figures').first()).toContainText('Corrections 1');
	await expect(page.locator('dl.figures').first()).toContainText('Orientations 2');
	await expect(page.getByTestId('sync-badge')).toHaveText("24 en attente d'envoi");
	expect(await axeViolations(page)).toEqual([]);
	for (const path of ['/equipage/orientations', '/equipage/reglages']) {
		await page.goto(path);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		expect(await axeViolations(page)).toEqual([]);
	}

	// Back online: one sync sends it all, exactly once.
	await context.setOffline(false);
	await page.goto('/equipage');
	await page.getByRole('button', { name: 'Synchroniser maintenant' }).click();
	await expect(page.getByTestId('sync-badge')).toHaveText('Tout est envoyé');
	const deviceIds = await readDeviceVisitIds(page);
	expect(deviceIds).toHaveLength(21);
	const server = readServerRecords(BUS);
	expect(server.visitIds).toEqual(deviceIds);
	expect(server.reports.map((report) => report.report)).toEqual(['held']);
	expect(server.reportedDays).toEqual([{ status: 'held', reason: null }]);
	expect(server.referrals).toHaveLength(2);
	const withContact = server.referrals.filter((referral) => referral.contact !== null);
	expect(withContact).toHaveLength(1);
	expect(withContact[0]).toMatchObject({ contact: { phone: '0612345678', callbackSlot: 'morning' } });
	expect(server.referrals.find((referral) => referral.contact === null)).toMatchObject({ consent: null });

	// A coordinator closes the referral with a contact; the tablet learns it and forgets the phone number.
	const referralId = (withContact[0] as unknown as { id: string }).id;
	const ref = referralId.slice(0, 8);
	const office = await context.newPage();
	await office.goto('/coordination/orientations');
	await office
		.getByRole('row', { name: ref })
		.getByRole('button', { name: `Passer l'orientation ${ref} au statut Close` })
		.click();
	await expect(office.getByRole('status').filter({ hasText: ref })).toContainText('Close');
	await office.close();

	await page.getByRole('button', { name: 'Synchroniser maintenant' }).click();
	await expect(page.getByTestId('sync-badge')).toHaveText('Tout est envoyé');
	await page.getByRole('link', { name: 'Orientations' }).click();
	const done = page.getByRole('region', { name: /Terminées/ }).getByTestId('referral');
	await expect(done).toHaveCount(1);
	await expect(done).toContainText('Close');
	await expect(done).toContainText('Sans coordonnées');
	const phones = await page.evaluate(
		() =>
			new Promise<string>((resolve) => {
				const open = indexedDB.open('escale');
				open.onsuccess = () => {
					const all = open.result.transaction('referrals').objectStore('referrals').getAll();
					all.onsuccess = () => resolve(JSON.stringify(all.result));
				};
			})
	);
	expect(phones).not.toContain('0612345678');
});
