/**
 * Residents reading the public pages while the tablets push: a few readers, each reading one page after another
 * (the home page, a search for a commune, a commune's page, a stop's page of the seeded buses), round-robin over
 * the processes as the tablets are, each on connections of its own (http.ts), timing each page until its last byte.
 *
 * The readers run on a thread of their own (reader-thread.ts), as a resident's phone is not the tablets': on the
 * load generator's thread a read was timed from before the generator had sent the 200 first pushes it was
 * compressing (its event loop stalled up to 216 ms then), which no resident waits for. The thread still shares the
 * machine's cores with the generator, the app processes and the database.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { clientFetch, errorCode } from './http';
import { Balancer, sleep } from './tablets';
import type { World } from './world';

const READERS = 2;
/** A resident reads, then clicks: a pause between reads, so the readers do not become a load of their own. */
const PAUSE_MS = 50;
/** How many of the slowest reads the figures name, with when they started. */
const SLOWEST = 3;

export interface SlowRead {
	page: string;
	/** When the read started, from the readers' start, ms. */
	atMs: number;
	ms: number;
}

export interface ReadStats {
	ms: number[];
	errors: Map<string, number>;
	/** The slowest reads, slowest first. */
	slowest: SlowRead[];
}

/** What the reader thread is given (reader-thread.ts). */
export interface ReaderThreadData {
	urls: string[];
	pages: string[];
}

/** What the reader thread answers a stop with: ReadStats as structured-clone data. */
export interface ReaderThreadResult {
	ms: number[];
	errors: [string, number][];
	slowest: SlowRead[];
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

/**
 * Reads the pages on the processes at `urls` on a thread of its own, from when this resolves (the thread is up)
 * until `stop()`, which resolves with the figures once every reader has finished its page.
 */
export async function startReaders(urls: string[], pages: string[]): Promise<{ stop(): Promise<ReadStats> }> {
	// The thread's entry is bundled beside the bench's own, in the folder run.js names.
	const entry = join(process.env.ESCALE_BENCH_OUT ?? '', 'load-reader.mjs');
	const workerData: ReaderThreadData = { urls, pages };
	const worker = new Worker(entry, { workerData });
	// Each message is awaited before the one after it can be sent: 'reading', then the figures once stopped.
	// events.once rejects when the thread fails ('error').
	await once(worker, 'message');
	return {
		async stop() {
			worker.postMessage('stop');
			const [{ ms, errors, slowest }] = (await once(worker, 'message')) as [ReaderThreadResult];
			await worker.terminate();
			return { ms, errors: new Map(errors), slowest };
		}
	};
}

/** The readers' loop, on the reader thread: reads until `running()` says no, then resolves with the figures. */
export async function readUntil(
	{ urls, pages }: ReaderThreadData,
	running: () => boolean
): Promise<ReaderThreadResult> {
	const balancer = new Balancer(urls.map((url) => ({ url })));
	const ms: number[] = [];
	const reads: SlowRead[] = [];
	const errors = new Map<string, number>();
	const count = (kind: string) => errors.set(kind, (errors.get(kind) ?? 0) + 1);
	const t0 = performance.now();
	let next = 0;
	const reader = async () => {
		const fetchOwn = clientFetch();
		while (running()) {
			const page = pages[next++ % pages.length] ?? '/';
			const app = balancer.pick();
			const started = performance.now();
			try {
				// Read to the last byte (clientFetch resolves once the whole answer has arrived).
				const response = await fetchOwn(`${app.url}${page}`, { method: 'GET' });
				const took = performance.now() - started;
				if (response.status === 200) {
					ms.push(took);
					reads.push({ page, atMs: started - t0, ms: took });
				} else count(`${response.status}`);
			} catch (error) {
				const code = errorCode(error);
				if (code === 'ECONNREFUSED') balancer.down(app);
				count(`connection: ${code}`);
			}
			await sleep(PAUSE_MS);
		}
	};
	await Promise.all(Array.from({ length: READERS }, reader));
	const slowest = reads.sort((a, b) => b.ms - a.ms).slice(0, SLOWEST);
	return { ms, errors: [...errors], slowest };
}
