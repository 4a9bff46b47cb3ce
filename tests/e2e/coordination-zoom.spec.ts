import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './support/coordination';
import { enrollOverApi, freshEnrollmentCode } from './support/crew';
import { pushOverApi, referralCreate, visitCreate } from './support/sync-api';

/**
 * 200 % zoom on a 1280 × 800 screen is a 640 × 400 CSS px viewport: no coordination page may scroll sideways
 * (WCAG 1.4.10; a wide table scrolls inside its own wrapper). The overview and referrals pages used to, because
 * the visually hidden text of the rows' buttons escaped the tables' scroll wrappers: the test first makes rows
 * that carry such text (a tablet to remove, a referral to move, a refused record).
 */
test.use({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });

/** An overseas bus: its rows are the longest (times named "heure de la Guadeloupe"). */
const BUS = 'Bus France services Grand Sud Caraïbe';

async function expectNoSidewaysScroll(page: Page, path: string): Promise<void> {
	await page.goto(path);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	const widths = await page.evaluate(() => ({
		page: document.documentElement.scrollWidth,
		viewport: window.innerWidth
	}));
	expect(
		widths.page,
		`${path} is ${widths.page} px wide in a ${widths.viewport} px window`
	).toBeLessThanOrEqual(widths.viewport);
}

test('at 200 % zoom on a 1280 px screen, no coordination page scrolls sideways', async ({
	page,
	request
}) => {
	await expectNoSidewaysScroll(page, '/coordination/connexion');
	await expectNoSidewaysScroll(page, '/en/coordination/connexion');

	const code = await freshEnrollmentCode(page, BUS);
	const { token, bus, referenceVersion, snapshot } = await enrollOverApi(request, code);
	const at = new Date().toISOString();
	const visitId = randomUUID();
	const referralId = randomUUID();
	const pushed = await pushOverApi(request, token, [
		visitCreate(1, {
			id: visitId,
			busId: bus.id,
			serviceDayId: snapshot.serviceDays[0].id,
			at,
			referenceVersion,
			outcome: 'referred'
		}),
		referralCreate(2, {
			id: referralId,
			visitId,
			busId: bus.id,
			at,
			referenceVersion,
			dueDate: '2026-01-05',
			contact: { phone: '0611223344' }
		}),
		// A visit on a day the server does not know: refused, listed on the overview.
		visitCreate(3, {
			id: randomUUID(),
			busId: bus.id,
			serviceDayId: `${bus.id}-nulle-part@2026-03-10`,
			at,
			referenceVersion,
			outcome: 'resolved'
		})
	]);
	expect(pushed.status()).toBe(200);

	await signIn(page, '/coordination');
	// The rows with visually hidden text are there, so the measure below is not of an empty page.
	const tablet = page.getByRole('table', { name: 'Tablettes' }).getByRole('row', { name: BUS }).first();
	await expect(tablet.getByRole('button', { name: /^Retirer la tablette/ })).toBeVisible();
	await expect(tablet).toContainText('(heure de la Guadeloupe)');
	await page.goto('/coordination/orientations');
	const referral = page.getByRole('row', { name: referralId.slice(0, 8) });
	await expect(referral.getByRole('button', { name: /^Passer l'orientation/ }).first()).toBeVisible();

	for (const path of [
		'/coordination',
		'/coordination/orientations',
		'/coordination/orientations?status=open',
		'/en/coordination',
		'/en/coordination/orientations'
	]) {
		await expectNoSidewaysScroll(page, path);
	}
});
