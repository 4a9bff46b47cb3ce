/**
 * Storage failures the crew must see. IndexedDB reports a full disk as an *aborted transaction* whose inner error
 * is `QuotaExceededError` (docs/offline-data-loss.md, item 3), and a dead database (private window, storage
 * cleared, disk error) as closed or failed-to-open errors. Repositories turn both into these two types so the UI
 * can say "stockage plein" or "stockage indisponible" instead of a false "Enregistré".
 */
import type { Issue } from '$lib/domain/validation';

/** The record broke a rule of the model: nothing was written. `issues` name the fields, never their values. */
export class InvalidRecordError extends Error {
	override readonly name = 'InvalidRecordError';
	constructor(
		readonly record: 'visit' | 'referral' | 'serviceDayReport' | 'checkInChoices' | 'offPlanStop',
		readonly issues: readonly Issue[]
	) {
		super(
			`Invalid ${record}: ${issues.map((issue) => `${issue.path || '(record)'}: ${issue.message}`).join('; ')}`
		);
	}
}

/** The device has no room left: nothing of the failed write was kept. */
export class StorageFullError extends Error {
	override readonly name = 'StorageFullError';
	constructor(options?: { cause?: unknown }) {
		super('Device storage is full: the record was not saved.', options);
	}
}

/** The database cannot be used (private browsing, storage cleared, closed after an upgrade in another tab). */
export class StorageUnavailableError extends Error {
	override readonly name = 'StorageUnavailableError';
	constructor(options?: { cause?: unknown }) {
		super('Device storage is unavailable: the record was not saved.', options);
	}
}

const UNAVAILABLE_NAMES = new Set([
	'DatabaseClosedError',
	'OpenFailedError',
	'MissingAPIError',
	'InvalidStateError',
	'VersionError',
	'VersionChangedError',
	'UnknownError'
]);
/** Errors that only wrap or follow another one: an abort tells nothing when a ConstraintError caused it. */
const WRAPPER_NAMES = new Set(['AbortError', 'BulkError', 'ModifyError']);

function nameOf(error: unknown): string | undefined {
	if (typeof error !== 'object' || error === null || !('name' in error)) return undefined;
	return typeof error.name === 'string' ? error.name : undefined;
}

/**
 * The errors a failure is made of: itself, what Dexie wrapped in `inner` (an AbortError around a
 * QuotaExceededError) and the per-row `failures` of a bulk operation (BulkError, ModifyError).
 */
function causesOf(error: unknown, depth = 0): unknown[] {
	if (typeof error !== 'object' || error === null || depth > 3) return [error];
	const inner = 'inner' in error && error.inner ? causesOf(error.inner, depth + 1) : [];
	const failures = 'failures' in error && Array.isArray(error.failures) ? error.failures : [];
	return [error, ...inner, ...failures.flatMap((failure: unknown) => causesOf(failure, depth + 1))];
}

/**
 * The typed error for a failed storage operation, or the error itself when it is not a storage failure
 * (a bug, a constraint violation): those must stay loud, not be dressed up as "storage full".
 */
export function toStorageError(error: unknown): unknown {
	if (error instanceof StorageFullError || error instanceof StorageUnavailableError) return error;
	const names = causesOf(error).map(nameOf);
	if (names.includes('QuotaExceededError')) return new StorageFullError({ cause: error });
	const causes = names.filter((name) => name === undefined || !WRAPPER_NAMES.has(name));
	// An abort with no other cause: the browser gave up on the transaction (disk error, storage cleared).
	const isBareAbort = causes.length === 0 && names.includes('AbortError');
	if (isBareAbort || causes.some((name) => name !== undefined && UNAVAILABLE_NAMES.has(name))) {
		return new StorageUnavailableError({ cause: error });
	}
	return error;
}

/** Runs a storage operation and rethrows its failure as a typed storage error when it is one. */
export async function withStorageErrors<T>(operation: () => PromiseLike<T>): Promise<T> {
	try {
		return await operation();
	} catch (error) {
		throw toStorageError(error);
	}
}
