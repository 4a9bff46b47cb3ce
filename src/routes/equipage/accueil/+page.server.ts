/**
 * The check-in used to live at /equipage/accueil, which reads as the crew's home page: it is now
 * /equipage/accueillir (docs/ARCHITECTURE.md, glossary). A bookmark or an installed shortcut to the old address
 * lands on the new one, its query kept (`?corriger=`). On the server only: in the browser, SvelteKit asks the
 * server for this route's data and follows the redirect, and the public pages do not carry the redirect code.
 */
import { redirect } from '@sveltejs/kit';
import { guard } from '$lib/server/access/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = guard('crew.app', ({ url }) => {
	redirect(308, `${url.pathname.replace(/\/accueil\/?$/, '/accueillir')}${url.search}`);
});
