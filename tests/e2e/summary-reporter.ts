import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/**
 * Prints one last line a CI log parser (or a person skimming a log) can read:
 * `E2E RESULT: passed 6, failed 0, flaky 0, skipped 0, in 41.2 s (status passed)`.
 */
export default class SummaryReporter implements Reporter {
	#counts = { passed: 0, failed: 0, flaky: 0, skipped: 0 };

	onTestEnd(test: TestCase, result: TestResult): void {
		// Count each test once, by its final outcome (retries are off, but stay correct if they are turned on).
		if (result.retry < test.retries && result.status !== 'passed' && result.status !== 'skipped') return;
		const outcome = test.outcome();
		if (outcome === 'expected') this.#counts.passed += 1;
		else if (outcome === 'flaky') this.#counts.flaky += 1;
		else if (outcome === 'skipped') this.#counts.skipped += 1;
		else this.#counts.failed += 1;
	}

	onEnd(result: FullResult): void {
		const { passed, failed, flaky, skipped } = this.#counts;
		const seconds = (result.duration / 1000).toFixed(1);
		console.log(
			`E2E RESULT: passed ${passed}, failed ${failed}, flaky ${flaky}, skipped ${skipped}, in ${seconds} s (status ${result.status})`
		);
	}

	printsToStdio(): boolean {
		return true;
	}
}
