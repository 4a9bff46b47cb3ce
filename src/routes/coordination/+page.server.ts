import * as v from 'valibot';
import { localDateIn } from '$lib/domain/calendar';
import { m } from '$lib/i18n';
import { guard } from '$lib/server/access/guard';
import { isAllowed } from '$lib/server/access/policy';
import { busScope } from '$lib/server/access/scope';
import { getDemoEnrollmentCodes } from '$lib/server/app';
import { issueCodeInScope, revokeDeviceInScope } from '$lib/server/coordination/devices';
import { deviceRef, readCoordinationOverview } from '$lib/server/coordination/overview';
import { parseForm, refuse } from '$lib/server/http/form';
import type { Actions, PageServerLoad } from './$types';

/**
 * Coordination overview: the buses of the member's scope with a planned circuit, enrollment codes (a new code
 * is shown once, in the action's answer, and stored only as a hash), the tablets with their removal, and the
 * records their tablets sent that the server could never accept. Each export checks its caller (guard).
 */
export const load: PageServerLoad = guard('coordination.read', async (_event, { caller, store }) => ({
	...(await readCoordinationOverview(store, busScope(caller), await getDemoEnrollmentCodes(store))),
	// The forms are shown only to whom their actions admit (each action checks again).
	can: {
		issueCode: isAllowed(caller, 'enrollmentCode.issue'),
		revokeDevice: isAllowed(caller, 'device.revoke')
	}
}));

const IssueForm = v.object({ busId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/)) });

const RevokeForm = v.object({
	deviceId: v.pipe(v.string(), v.regex(/^dev-[A-Za-z0-9_-]{8,64}$/)),
	confirm: v.literal('on')
});

export const actions: Actions = {
	/** A new one-time code for a bus of the scope that has a circuit; the code is in this answer only. */
	issueCode: guard('enrollmentCode.issue', async ({ request }, { caller, store }) => {
		const parsed = parseForm(await request.formData(), IssueForm, {
			messages: { busId: m.coordination_device_error_bus }
		});
		if (!parsed.ok) return parsed.failure;
		const issued = await issueCodeInScope(store, busScope(caller), parsed.data.busId);
		if (!issued.ok)
			return refuse(400, { code: 'unknown_bus', field: 'busId', message: m.coordination_device_error_bus() });
		return {
			issued: {
				busName: issued.busName,
				code: issued.code,
				// The date the bus's tablet will read: its own zone's.
				expiresOn: localDateIn(new Date(issued.expiresAt), issued.timeZone)
			}
		};
	}),
	/** Revokes a tablet (the screen says "Retirer"): its next push or pull gets 403 device_revoked. Needs the "Je confirme" box. */
	revoke: guard('device.revoke', async ({ request }, { caller, store }) => {
		const parsed = parseForm(await request.formData(), RevokeForm, {
			messages: { deviceId: m.coordination_device_error_device, confirm: m.coordination_device_error_confirm }
		});
		if (!parsed.ok) return parsed.failure;
		const { deviceId } = parsed.data;
		if (!(await revokeDeviceInScope(store, busScope(caller), deviceId)))
			return refuse(404, {
				code: 'unknown_device',
				field: 'deviceId',
				message: m.coordination_device_error_unknown()
			});
		return { revoked: deviceRef(deviceId) };
	})
};
