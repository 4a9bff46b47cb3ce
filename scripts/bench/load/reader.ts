/**
 * Residents reading the public pages while the tablets push: a few readers, each reading one page after another
 * (the home page, a search for a commune, a commune's page, a stop's page of the seeded buses), through the same
 * balancer as the tablets, each on connections of its own (http.ts), timing each page until its last byte.
 */
import { clientFetch, errorCode } from './http';
import type { Balancer } from './tablets';
import { sleep } from './tablets';
import type { World } from './world';

const READERS = 2;
/** A resident reads, then clicks: a pause between reads, so the readers do not become a load of their own. */
const PAUSE_MS = 50;

export interface ReadStats {
	ms: number[];
	errors: Map<string, number>;
}

export function publicPages(world: World): string[] {
	const pages: string[] = [];
	world.communes.forEach((commune, i) => {
		const stop = world.tablets[i]?.stopId;
		pages.push('/', `/?q=${encodeURIComponent(commune.name)}`, `/communes/${commune.slug}`);
		if (stop) pages.push(`/arrets/${stop}`);
	});
	return pages;
}

/** Reads until `stop()`; resolves with the figures once every reader has finished its page. */
export function startReaders(balancer: Balancer, pages: string[]): { stop(): Promise<ReadStats> } {
	const stats: ReadStats = { ms: [], errors: new Map() };
	let running = true;
	let next = 0;
	const reader = async () => {
		const fetchOwn = clientFetch();
		while (running) {
			const page = pages[next++ % pages.length] ?? '/';
			const app = balancer.pick();
			const started = performance.now();
			try {
				// Read to the last byte (clientFetch resolves once the whole answer has arrived).
				const response = await fetchOwn(`${app.url}${page}`, { method: 'GET' });
				if (response.status === 200) stats.ms.push(performance.now() - started);
				else stats.errors.set(`${response.status}`, (stats.errors.get(`${response.status}`) ?? 0) + 1);
			} catch (error) {
				const code = errorCode(error);
				if (code === 'ECONNREFUSED') balancer.down(app);
				stats.errors.set(`connection: ${code}`, (stats.errors.get(`connection: ${code}`) ?? 0) + 1);
			}
			await sleep(PAUSE_MS);
		}
	};
	const readers = Array.from({ length: READERS }, reader);
	return {
		async stop() {
			running = false;
			await Promise.all(readers);
			return stats;
		}
	};
}
