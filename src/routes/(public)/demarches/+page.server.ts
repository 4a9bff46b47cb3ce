import { partnerCatalog } from '$lib/domain/reference/catalog';
import { currentReference } from '$lib/domain/reference';
import { guard } from '$lib/server/access/guard';
import type { PageServerLoad } from './$types';

/** What the bus can help with, per partner, and what to bring: the checked catalog, with the date it was checked. */
export const load: PageServerLoad = guard('public.read', () => ({
	catalog: partnerCatalog,
	checkedOn: currentReference.checkedOn
}));
