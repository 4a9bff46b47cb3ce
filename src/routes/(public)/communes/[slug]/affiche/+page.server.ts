import { error, redirect } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { parseCommuneSlug } from '$lib/domain/commune-slug';
import { localizeHref } from '$lib/i18n';
import { guard } from '$lib/server/access/guard';
import { readCommune } from '$lib/server/schedule/places';
import type { PageServerLoad } from './$types';

/** A poster covers the next three months: about 13 weeks. */
const POSTER_WEEKS = 13;

/** The printable A4 poster of a commune, for the town hall's notice board. */
export const load: PageServerLoad = guard('public.read', async ({ params, url }, { store }) => {
	const insee = parseCommuneSlug(params.slug);
	const now = new Date();
	const commune = insee ? await readCommune(store, insee, now, POSTER_WEEKS) : null;
	if (!commune) error(404, { message: 'commune' });
	if (commune.slug !== params.slug) redirect(301, localizeHref(`/communes/${commune.slug}/affiche`));
	const pageUrl = new URL(localizeHref(`/communes/${commune.slug}`), url.origin).href;
	// Our own SVG (no user input in it but the page's address), drawn on the server: the poster needs no script.
	const qrSvg = await QRCode.toString(pageUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 0 });
	return { commune, pageUrl, qrSvg, updatedAt: now.toISOString() };
});
