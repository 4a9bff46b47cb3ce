/**
 * The check-in used to live at /equipage/accueil, which reads as the crew's home page: it is now
 * /equipage/accueillir (docs/ARCHITECTURE.md, glossary). A bookmark or an installed shortcut to the old address
 * lands on the new one, its query kept (`?corriger=`), in the browser too, without a round trip to the server.
 */
import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ url }) => {
	redirect(308, `${url.pathname.replace(/\/accueil\/?$/, '/accueillir')}${url.search}`);
};
