/**
 * The coordination area's layout data: who is signed in (set by the guard in src/hooks.server.ts), for the
 * "Connecté : …" line and the sign-out button. Only the display name is sent to the page.
 */
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
	coordinator: locals.coordinator ? { name: locals.coordinator.name } : null
});
