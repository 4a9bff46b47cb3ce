import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { localDateIn } from '$lib/domain/calendar';
import { m } from '$lib/i18n';
import { guard } from '$lib/server/access/guard';
import { isAllowed } from '$lib/server/access/policy';
import { busScope } from '$lib/server/access/scope';
import { getDemoEnrollmentCodes } from '$lib/server/app';
import { issueCodeInScope, removeDeviceInScope } from '$lib/server/coordination/devices';
import { deviceRef, readCoordinationOverview } from '$lib/server/coordination/overview';
import type { Actions, PageServerLoad } from './$types';

/**
 * Coordination overview: the buses of the member's scope with a planned circuit, enrollment codes (a new code
 * is shown once, in the action's answer, and stored only as a hash), the tablets with their removal, and the
 * records their tablets sent that the server could never accept. Each export checks its caller (guard).
 */
export const load: PageServerLoad = guard('coordination.read', async (_event, { caller, store }) => ({
	...(await readCoordinationOverview(store, busScope(caller), getDemoEnrollmentCodes())),
	// The forms are shown only to whom their actions admit (each action checks again).
	can: {
		issueCode: isAllowed(caller, 'enrollmentCode.issue'),
		removeDevice: isAllowed(caller, 'device.remove')
	}
}));

const BusIdSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/));

const RevokeForm = v.object({
	deviceId: v.pipe(v.string(), v.regex(/^dev-[A-Za-z0-9_-]{8,64}$/)),
	confirm: v.literal('on')
});

export const actions: Actions = {
	/** A new one-time code for a bus of the scope that has a circuit; the code is in this answer only. */
	issueCode: guard('enrollmentCode.issue', async ({ request }, { caller, store }) => {
		const form = await request.formData();
		const parsed = v.safeParse(BusIdSchema, form.get('busId'));
		const issued = parsed.success ? await issueCodeInScope(store, busScope(caller), parsed.output) : null;
		if (!issued?.ok) return fail(400, { codeError: m.coord_dev_error_bus() });
		return {
			issued: {
				busName: issued.busName,
				code: issued.code,
				expiresOn: localDateIn(new Date(issued.expiresAt), 'Europe/Paris')
			}
		};
	}),
	/** Removes a tablet: its next push or pull gets 403 device_revoked. Needs the "Je confirme" box. */
	revoke: guard('device.remove', async ({ request }, { caller, store }) => {
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
		if (!(await removeDeviceInScope(store, busScope(caller), deviceId)))
			return fail(404, { deviceField: 'deviceId', deviceError: m.coord_dev_error_unknown() });
		return { revoked: deviceRef(deviceId) };
	})
};
