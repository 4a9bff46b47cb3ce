import { addDays, localDateIn } from '$lib/domain/calendar';
import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { getDemoEnrollmentCodes, getStore, issueDemoCodeFor } from '$lib/server/app';
import type { Actions, PageServerLoad } from './$types';

/** How many refused records the overview lists per bus (the newest first). */
const REJECTIONS_PER_BUS = 20;

/**
 * Coordination overview: the network, the buses that have a planned circuit, and the records their tablets
 * sent that the server could never accept (kind, reason, when: never the payload, which may be personal).
 */
export const load: PageServerLoad = async () => {
	const store = getStore();
	const buses = await store.buses.list();
	const planned = [];
	for (const bus of buses) {
		const circuits = await store.circuits.listByBus(bus.id);
		if (circuits.length === 0) continue;
		const today = localDateIn(new Date(), bus.timeZone);
		const days = await store.serviceDays.listByBus(bus.id, { from: today, to: addDays(today, 12 * 7) });
		planned.push({
			id: bus.id,
			name: bus.name,
			departement: bus.departement,
			homeCommune: bus.homeCommune,
			timeZone: bus.timeZone,
			rules: circuits.reduce((sum, circuit) => sum + circuit.rules.length, 0),
			serviceDays: days.length,
			cancelled: days.filter((day) => day.status === 'cancelled').length
		});
	}
	// Demo credentials, not personal data: shown so a visitor can enrol a tablet.
	const enrollmentCodes = getDemoEnrollmentCodes().map(({ busId, busName, code, expiresAt }) => ({
		busId,
		busName,
		code,
		expiresOn: localDateIn(new Date(expiresAt), 'Europe/Paris')
	}));
	const rejections = [];
	for (const bus of planned) {
		for (const rejection of await store.syncRecords.listRejections(bus.id, REJECTIONS_PER_BUS)) {
			rejections.push({
				busName: bus.name,
				deviceId: rejection.deviceId,
				mutationId: rejection.mutationId,
				kind: rejection.kind,
				reason: rejection.reason,
				detail: rejection.detail,
				at: rejection.at
			});
		}
	}
	return { busCount: buses.length, planned, enrollmentCodes, rejections };
};

const IssueCodeForm = v.object({
	busId: v.pipe(
		v.string('busId : identifiant de bus attendu'),
		v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'busId : identifiant de bus attendu')
	)
});

export const actions: Actions = {
	/** Demo only (see issueDemoCodeFor): a new one-time code for a bus, shown in the table in place of the old one. */
	issueCode: async ({ request }) => {
		const form = await request.formData();
		const parsed = v.safeParse(IssueCodeForm, { busId: form.get('busId') });
		if (!parsed.success) return fail(400, { codeError: parsed.issues[0].message });
		const issued = await issueDemoCodeFor(parsed.output.busId);
		if (!issued)
			return fail(404, { codeError: 'busId : aucun bus de démonstration ne porte cet identifiant' });
		return { issuedFor: issued.busName };
	}
};
