/**
 * The coordination area's layout data: who is signed in, for the "Connecté : …" line and the sign-out button.
 * Only the display name is sent to the page. It also runs under the sign-in page, so it admits anyone; each
 * page's own load checks its rule (guard).
 */
import { guard } from '$lib/server/access/guard';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = guard('session.read', (_event, { caller }) => ({
	member: caller.kind === 'member' ? { name: caller.name } : null
}));
