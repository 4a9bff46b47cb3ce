import { json } from '@sveltejs/kit';
import { guardApi } from '$lib/server/access/guard';
import { checkHealth } from '$lib/server/health';
import type { Store } from '$lib/server/store/store';
import type { RequestHandler } from './$types';

/** Health of the app and its database; 503 tells a monitor or a load balancer to look. */
export const GET: RequestHandler = guardApi('public.read', async (_event, access) => {
	let store: Store | null;
	try {
		store = access.store;
	} catch {
		store = null;
	}
	const report = await checkHealth(store);
	return json(report, {
		status: report.status === 'ok' ? 200 : 503,
		// A cached "ok" would hide an outage: every probe must reach the server.
		headers: { 'cache-control': 'no-store' }
	});
});
