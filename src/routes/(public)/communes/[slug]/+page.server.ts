import { error, redirect } from '@sveltejs/kit';
import { parseCommuneSlug } from '$lib/domain/commune-slug';
import { guard } from '$lib/server/access/guard';
import { readCommune } from '$lib/server/schedule/places';
import { localizeHref } from '$lib/i18n';
import type { PageServerLoad } from './$types';

/** A commune's page, at a stable address: `/communes/<name>-<INSEE code>`; the INSEE code decides. */
export const load: PageServerLoad = guard('public.read', async ({ params }, { store }) => {
	const insee = parseCommuneSlug(params.slug);
	const now = new Date();
	const commune = insee ? await readCommune(store, insee, now) : null;
	if (!commune) error(404, { message: 'commune' });
	// An old or hand-typed spelling of the name: send to the one address of the page.
	if (commune.slug !== params.slug) redirect(301, localizeHref(`/communes/${commune.slug}`));
	return { commune, updatedAt: now.toISOString() };
});
