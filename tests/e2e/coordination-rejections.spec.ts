import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { enrollOverApi, freshEnrollmentCode } from './support/crew';
import { pushOverApi, visitCreate } from './support/sync-api';

const BUS = 'Bus France services Grand Sud Caraïbe';

test('a record the server refuses is acknowledged and shown to the coordinator, without its content', async ({
	page,
	request
}) => {
	const code = await freshEnrollmentCode(page, BUS);

	const { token, bus, referenceVersion } = await enrollOverApi(request, code);

	// A visit on a service day the server does not know: valid in itself, never acceptable.
	const visitId = randomUUID();
	const pushed = await pushOverApi(request, token, [
		visitCreate(1, {
			id: visitId,
			busId: bus.id,
			serviceDayId: `${bus.id}-nulle-part@2026-03-10`,
			at: new Date().toISOString(),
			referenceVersion,
			outcome: 'resolved'
		})
	]);
	expect(pushed.status()).toBe(200);
	const answer = await pushed.json();
	expect(answer.results).toEqual([
		expect.objectContaining({ mutationId: 1, status: 'rejected', reason: 'not_found' })
	]);
	expect(answer.lastMutationId).toBe(1);

	await page.reload();
	const rows = page.getByRole('table', { name: 'Enregistrements refusés' }).getByRole('row', { name: BUS });
	await expect(rows).toHaveCount(1);
	await expect(rows).toContainText('visit.create');
	await expect(rows).toContainText('not_found');
	await expect(page.getByRole('main')).not.toContainText(visitId);
});
