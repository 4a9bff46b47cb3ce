import { addDays, localDateIn } from '$lib/domain/calendar';
import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { m } from '$lib/i18n';
import { getDemoEnrollmentCodes, getStore } from '$lib/server/app';
import { signInPath } from '$lib/server/auth/next-path';
import { issueEnrollmentCode, revokeDevice } from '$lib/server/sync/codes';
import type { Actions, PageServerLoad } from './$types';

/** How many refused records the overview lists per bus (the newest first). */
const REJECTIONS_PER_BUS = 20;
/** How many tablets the overview lists at most. */
const DEVICES_LISTED = 1000;

/** What the page shows of a device id ("dev-" and 8 characters): enough to tell tablets apart, not a credential. */
const deviceRef = (id: string): string => id.slice(0, 12);

/**
 * Coordination overview, for a signed-in coordinator (src/hooks.server.ts): the network, the buses that have a
 * planned circuit, enrollment codes (a new code is shown once, in the action's answer, and stored only as a
 * hash), the enrolled tablets with their removal, and the records their tablets sent that the server could
 * never accept (kind, reason, when: never the payload, which may be personal).
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
	const busNames = new Map(buses.map((bus) => [bus.id, bus.name]));
	const devices = (await store.devices.list(DEVICES_LISTED))
		.map((device) => ({
			id: device.id,
			ref: deviceRef(device.id),
			busName: busNames.get(device.busId) ?? device.busId,
			appVersion: device.appVersion,
			enrolledAt: device.createdAt,
			lastSeenAt: device.lastSeenAt,
			revokedAt: device.revokedAt
		}))
		.sort((a, b) => a.busName.localeCompare(b.busName, 'fr') || b.enrolledAt.localeCompare(a.enrolledAt));
	return { busCount: buses.length, planned, enrollmentCodes, devices, rejections };
};

const BusIdSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/));

const RevokeForm = v.object({
	deviceId: v.pipe(v.string(), v.regex(/^dev-[A-Za-z0-9_-]{8,64}$/)),
	confirm: v.literal('on')
});

/** The guard in hooks.server.ts already sent signed-out requests away; this keeps each action safe on its own. */
function requireCoordinator(locals: App.Locals, url: URL): void {
	if (!locals.coordinator) redirect(303, signInPath(url.pathname));
}

export const actions: Actions = {
	/** A new one-time code for any bus that has a circuit; the code is in this answer only (never stored in clear). */
	issueCode: async ({ request, locals, url }) => {
		requireCoordinator(locals, url);
		const form = await request.formData();
		const parsed = v.safeParse(BusIdSchema, form.get('busId'));
		const store = getStore();
		const bus = parsed.success ? await store.buses.get(parsed.output) : null;
		if (!bus || (await store.circuits.listByBus(bus.id)).length === 0)
			return fail(400, { codeError: m.coord_dev_error_bus() });
		const { code, expiresAt } = await issueEnrollmentCode(store, bus.id);
		return {
			issued: { busName: bus.name, code, expiresOn: localDateIn(new Date(expiresAt), 'Europe/Paris') }
		};
	},
	/** Removes a tablet: its next push or pull gets 403 device_revoked. Needs the "Je confirme" box. */
	revoke: async ({ request, locals, url }) => {
		requireCoordinator(locals, url);
		const form = await request.formData();
		const parsed = v.safeParse(RevokeForm, {
			deviceId: form.get('deviceId'),
			confirm: form.get('confirm')
		});
		if (!parsed.success) {
			const field = parsed.issues[0].path?.[0]?.key === 'deviceId' ? 'deviceId' : 'confirm';
			return fail(400, {
				deviceField: field,
				deviceError: field === 'deviceId' ? m.coord_dev_error_device() : m.coord_dev_error_confirm()
			});
		}
		const { deviceId } = parsed.output;
		if (!(await revokeDevice(getStore(), deviceId)))
			return fail(404, { deviceField: 'deviceId', deviceError: m.coord_dev_error_unknown() });
		return { revoked: deviceRef(deviceId) };
	}
};
