/**
 * Coordination: the network's referrals and their status, moved forward by a coordinator. The move reaches
 * the bus's tablet through the change log (sync pull); a final status purges the contact on the server.
 *
 * Each export checks its own caller (guard: reading needs `referral.read`, moving `referral.move`) and acts
 * on the buses of the caller's scope only. This page never carries contact
 * details nor any personal data, neither in the HTML nor in its data: it only reads
 * `listReferralsForCoordination`, whose rows hold no contact, and sends the page only the fields it shows.
 */
import * as v from 'valibot';
import { localDateIn, type LocalDate } from '$lib/domain/calendar';
import { REFERRAL_STATUSES, isReferralFinal, type ReferralStatus } from '$lib/domain/referral';
import { m } from '$lib/i18n';
import { partnerLabel, referralStatusLabel } from '$lib/i18n/labels';
import { guard } from '$lib/server/access/guard';
import { isAllowed } from '$lib/server/access/policy';
import { busScope } from '$lib/server/access/scope';
import { parseForm, refuse } from '$lib/server/http/form';
import {
	listReferralsForCoordination,
	moveReferralFromCoordination,
	nextReferralStatuses
} from '$lib/server/referrals/follow-up';
import type { Actions, PageServerLoad } from './$types';

/** The short reference shown for a referral: the start of its UUID, never anything about the person. */
const shortRef = (id: string): string => id.slice(0, 8);

const FilterSchema = v.union([v.literal(''), v.picklist(REFERRAL_STATUSES)]);

export const load: PageServerLoad = guard('referral.read', async ({ url }, { caller, store }) => {
	const filter = v.safeParse(FilterSchema, url.searchParams.get('status') ?? '');
	const status: ReferralStatus | null = filter.success && filter.output !== '' ? filter.output : null;
	const referrals = await listReferralsForCoordination(
		store,
		busScope(caller),
		status ? { statuses: [status] } : {}
	);
	const zones = new Map((await store.buses.list()).map((bus) => [bus.id, bus.timeZone]));
	const now = new Date();
	// Moves are offered only to whom the move action admits (it checks again).
	const canMove = isAllowed(caller, 'referral.move');
	const today = (busId: string): LocalDate => localDateIn(now, zones.get(busId) ?? 'Europe/Paris');
	return {
		status,
		canMove,
		filterError: filter.success ? null : m.coordination_referral_error_filter(),
		// Only what the table shows: no contact, no consent detail, no history.
		referrals: referrals.map((referral) => ({
			id: referral.id,
			ref: shortRef(referral.id),
			busName: referral.busName,
			partner: partnerLabel(referral.partner, undefined, referral.referenceVersion),
			reason: referral.reason,
			dueDate: referral.dueDate,
			status: referral.status,
			overdue: !isReferralFinal(referral.status) && referral.dueDate < today(referral.busId),
			next: canMove ? nextReferralStatuses(referral.status) : []
		}))
	};
});

const MoveSchema = v.object({
	id: v.pipe(v.string(), v.uuid()),
	to: v.picklist(REFERRAL_STATUSES)
});

export const actions: Actions = {
	move: guard('referral.move', async ({ request }, { caller, store }) => {
		const parsed = parseForm(await request.formData(), MoveSchema, {
			messages: { id: m.coordination_referral_error_id, to: m.coordination_referral_error_to }
		});
		if (!parsed.ok) return parsed.failure;
		const { id, to } = parsed.data;
		const result = await moveReferralFromCoordination(store, busScope(caller), id, to, new Date());
		if (!result.ok) {
			const { error } = result;
			return error.code === 'not_found'
				? refuse(404, {
						code: 'not_found',
						field: 'id',
						message: m.coordination_referral_error_not_found({ ref: shortRef(id) })
					})
				: refuse(409, {
						code: 'backwards',
						field: 'to',
						message: m.coordination_referral_error_backwards({
							ref: shortRef(id),
							from: referralStatusLabel(error.from),
							to: referralStatusLabel(error.to)
						})
					});
		}
		const message = { ref: shortRef(id), status: referralStatusLabel(result.referral.status) };
		return {
			moved: result.changed
				? m.coordination_referral_moved(message)
				: m.coordination_referral_unchanged(message)
		};
	})
};
