import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { StorageFullError, StorageUnavailableError, toStorageError } from './errors';

const quota = () => new DOMException('Quota exceeded', 'QuotaExceededError');

describe('toStorageError', () => {
	it('calls an aborted transaction whose inner error is a quota error "storage full"', () => {
		expect(toStorageError(new Dexie.AbortError('Transaction aborted', quota()))).toBeInstanceOf(
			StorageFullError
		);
		expect(toStorageError(quota())).toBeInstanceOf(StorageFullError);
	});

	it('finds a quota error among the failures of a bulk write', () => {
		const bulk = new Dexie.BulkError('2 of 2 operations failed', { 0: quota(), 1: new Dexie.AbortError() });
		expect(toStorageError(bulk)).toBeInstanceOf(StorageFullError);
	});

	it('calls a bare abort, a closed database and a failed open "storage unavailable"', () => {
		for (const error of [
			new Dexie.AbortError(),
			new Dexie.DatabaseClosedError(),
			new Dexie.OpenFailedError()
		]) {
			expect(toStorageError(error)).toBeInstanceOf(StorageUnavailableError);
		}
	});

	it('leaves other failures as they are, even when they aborted the transaction', () => {
		const constraint = new Dexie.ConstraintError('Key already exists');
		const bulk = new Dexie.BulkError('2 of 2 operations failed', {
			0: constraint,
			1: new Dexie.AbortError()
		});
		const bug = new TypeError('x is undefined');
		expect(toStorageError(bulk)).toBe(bulk);
		expect(toStorageError(constraint)).toBe(constraint);
		expect(toStorageError(bug)).toBe(bug);
	});
});
