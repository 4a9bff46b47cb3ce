/**
 * What GET /api/health answers: enough for a monitor or a person on the phone with support to tell which
 * version runs and whether its database works, and nothing more (no paths, no counts, no personal data).
 */
// Only `version` is imported: the bundler keeps that one field of package.json, not the whole file.
import { version } from '../../../package.json';
import type { Store, StoreHealth } from './store/store';

export interface HealthReport {
	status: 'ok' | 'degraded';
	/** The app version from package.json. */
	version: string;
	/** null when the store could not be reached at all. */
	database: StoreHealth | null;
	/** The server's clock, ISO 8601 UTC: lets a tablet see how far its own clock is off. */
	time: string;
}

export const appVersion: string = version;

export async function checkHealth(store: Store | null, now: Date = new Date()): Promise<HealthReport> {
	const database = store ? await store.health() : null;
	return {
		status: database?.ok ? 'ok' : 'degraded',
		version: appVersion,
		database,
		time: now.toISOString()
	};
}
