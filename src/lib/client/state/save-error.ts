/**
 * What the crew reads when a record could not be stored: the storage is full, unavailable, or the record was
 * refused by its schema (the issues name the fields). In every case nothing was written, and the screen says so
 * instead of "Enregistré".
 */
import { InvalidRecordError, StorageFullError, StorageUnavailableError } from '$lib/client/db/errors';
import { m } from '$lib/i18n';

export function saveErrorMessage(error: unknown): string {
	if (error instanceof StorageFullError) return m.crew_save_error_full();
	if (error instanceof StorageUnavailableError) return m.crew_save_error_unavailable();
	if (error instanceof InvalidRecordError) {
		const detail = error.issues.map((issue) => issue.message).join(' ; ');
		return m.crew_save_error_invalid({ detail });
	}
	return m.crew_save_error_unavailable();
}
