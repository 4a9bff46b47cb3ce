/**
 * The local cost of a check-in on the tablet, in a real browser: bundles browser/checkin-entry.ts with Vite
 * (the real `recordVisit` and schema, minified as in production), serves it to Chromium from a routed origin
 * (https://bench.escale.test, so IndexedDB runs on a real origin with a real profile on disk; https and the
 * COOP/COEP headers make the page cross-origin isolated, which gives performance.now() 5 µs steps instead
 * of 100 µs) and reads back
 * per-operation timings of `recordVisit` and of a bare Dexie transaction writing the same two rows.
 * Fails loudly when Chromium cannot start or when the rows stored are not the ones expected.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { build } from 'vite';
import { findChromiumExecutable, quietChromiumArgs } from '../chromium-path.js';
import type { CheckinBenchResult, StoredCounts } from './browser/checkin-entry';
import { ratio, seconds, type Row } from './report';

export const CHECKINS = 1_000;
const ORIGIN = 'https://bench.escale.test';
/** Cross-origin isolation: finer timers (Chromium coarsens performance.now() to 100 µs without it). */
const ISOLATION_HEADERS = {
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp'
};
const BUNDLE = 'checkin.js';

// run.js bundles the bench before running it, so this file's own URL is not in scripts/bench/ any more.
const root = process.env.ESCALE_BENCH_ROOT ?? fileURLToPath(new URL('../..', import.meta.url));

/** Bundles the browser entry into `outDir` as one IIFE script; returns its text. */
async function bundleEntry(outDir: string): Promise<string> {
	await build({
		root,
		configFile: false,
		logLevel: 'warn',
		mode: 'production',
		publicDir: false,
		resolve: { alias: { $lib: `${root}src/lib` } },
		define: { 'process.env.NODE_ENV': JSON.stringify('production') },
		build: {
			outDir,
			emptyOutDir: true,
			copyPublicDir: false,
			reportCompressedSize: false,
			lib: {
				entry: join(root, 'scripts/bench/browser/checkin-entry.ts'),
				formats: ['iife'],
				name: 'escaleCheckinBench',
				fileName: () => BUNDLE
			}
		}
	});
	return readFileSync(join(outDir, BUNDLE), 'utf8');
}

async function launchChromium(): Promise<Browser> {
	try {
		return await chromium.launch({ executablePath: findChromiumExecutable(), args: quietChromiumArgs });
	} catch (error) {
		throw new Error(`The check-in bench needs Chromium and could not start it: ${String(error)}`, {
			cause: error
		});
	}
}

/** Runs the bundled bench in a fresh Chromium page and returns what the page measured. */
async function runInChromium(
	script: string,
	count: number
): Promise<{ result: CheckinBenchResult; version: string }> {
	const browser = await launchChromium();
	try {
		const page = await browser.newPage();
		const pageErrors: string[] = [];
		page.on('pageerror', (error) => pageErrors.push(error.message));
		await page.route(`${ORIGIN}/**`, (route) => {
			const path = new URL(route.request().url()).pathname;
			if (path === '/') {
				return route.fulfill({
					contentType: 'text/html; charset=utf-8',
					headers: ISOLATION_HEADERS,
					body: `<!doctype html><meta charset="utf-8"><title>bench</title><script src="/${BUNDLE}"></script>`
				});
			}
			if (path === `/${BUNDLE}`) {
				return route.fulfill({
					contentType: 'text/javascript; charset=utf-8',
					headers: ISOLATION_HEADERS,
					body: script
				});
			}
			return route.fulfill({ status: 404, body: '' });
		});
		await page.goto(`${ORIGIN}/`);
		if (pageErrors.length > 0) throw new Error(`the bench page failed: ${pageErrors.join('; ')}`);
		const result = await page.evaluate(async (n) => {
			if (!window.runCheckinBench) throw new Error('the bench bundle did not define runCheckinBench');
			return window.runCheckinBench(n);
		}, count);
		return { result, version: browser.version() };
	} finally {
		await browser.close();
	}
}

function expectCounts(variant: string, actual: StoredCounts, expected: StoredCounts): void {
	if (
		actual.visits !== expected.visits ||
		actual.outbox !== expected.outbox ||
		actual.lastMutationId !== expected.lastMutationId
	) {
		throw new Error(
			`${variant} check-ins: expected ${JSON.stringify(expected)} stored, found ${JSON.stringify(actual)}`
		);
	}
}

/** Nearest-rank percentile of `values` (p in 0..100). */
function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	const value = sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
	if (value === undefined) throw new Error('percentile of no values');
	return value;
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** Times `CHECKINS` check-ins of each variant in Chromium; returns the table's rows and a note. */
export async function benchBrowserCheckin(dir: string): Promise<{ rows: Row[]; note: string }> {
	const started = performance.now();
	const script = await bundleEntry(join(dir, 'browser'));
	const { result, version } = await runInChromium(script, CHECKINS);
	if (result.escaleMs.length !== CHECKINS || result.bareMs.length !== CHECKINS) {
		throw new Error(
			`expected ${CHECKINS} timings of each variant, got ${result.escaleMs.length} and ${result.bareMs.length}`
		);
	}
	expectCounts('Escale', result.escale, { visits: CHECKINS, outbox: CHECKINS, lastMutationId: CHECKINS });
	expectCounts('bare', result.bare, { visits: CHECKINS, outbox: CHECKINS, lastMutationId: null });

	const n = CHECKINS.toLocaleString('en-US');
	const figures = [
		{ label: 'median', escale: percentile(result.escaleMs, 50), bare: percentile(result.bareMs, 50) },
		{ label: 'p95', escale: percentile(result.escaleMs, 95), bare: percentile(result.bareMs, 95) }
	];
	const escaleTotal = sum(result.escaleMs);
	const bareTotal = sum(result.bareMs);
	const rate = (total: number) => `${Math.round((CHECKINS * 1000) / total).toLocaleString('en-US')}/s`;
	const rows: Row[] = [
		...figures.map((figure) => ({
			figure: `check-in on the tablet, Chromium, ${figure.label} of ${n} (vs bare Dexie tx)`,
			escale: ms(figure.escale),
			baseline: ms(figure.bare),
			ratio: `${ratio(figure.escale / figure.bare)} bare time`
		})),
		{
			figure: `${n} check-ins one after another, whole run (vs bare Dexie tx)`,
			escale: `${seconds(escaleTotal)}, ${rate(escaleTotal)}`,
			baseline: `${seconds(bareTotal)}, ${rate(bareTotal)}`,
			ratio: `${ratio(escaleTotal / bareTotal)} bare time`
		}
	];
	const note = [
		`- Check-in: Chromium ${version} headless, IndexedDB in a profile on disk, strict durability in both.`,
		`  Escale = recordVisit (valibot, visit row + outbox entry + mutation counter); bare = one Dexie`,
		`  transaction adding the same visit and outbox rows, same schema. ${n} of each on fresh databases,`,
		`  after ${result.warmUp} of each as warm-up, in alternating blocks of ${result.block}; timer step ${(result.timerStepMs * 1000).toFixed(0)} µs.`,
		`  Checked after the run: ${n} visits, ${n} outbox entries, counter at ${n}. Measured part`,
		`  ${seconds(result.wallMs)}; with the bundle and the browser start ${seconds(performance.now() - started)}.`
	].join('\n');
	return { rows, note };
}
