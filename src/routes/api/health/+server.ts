import { json } from '@sveltejs/kit';
import { getStore } from '$lib/server/app';
import { checkHealth } from '$lib/server/health';
import type { Store } from '$lib/server/store/store';
import type { RequestHandler } from './$types';

/** Health of the app and its database; 503 tells a monitor or a load balancer to look. */
export const GET: RequestHandler = async () => {
	let store: Store | null;
	try {
		store = getStore();
	} catch {
		store = null;
	}
	const report = await checkHealth(store);
	return json(report, {
		status: report.status === 'ok' ? 200 : 503,
		// A cached "ok" would hide an outage: every probe must reach the server.
		headers: { 'cache-control': 'no-store' }
	});
};
