/**
 * Helpers for the PostgreSQL repositories that upsert a batch in one statement (issue 12). One `INSERT ...
 * SELECT FROM unnest(...)` cannot touch a row twice (PostgreSQL refuses "ON CONFLICT DO UPDATE command cannot
 * affect row a second time"), where SQLite's row-by-row loop lets the last copy of an id win: the batch is
 * reduced to that last copy first, so both engines end with the same rows.
 */

/** The batch with one item per id, the last one given, in the order the ids first appear. */
export function lastPerId<T extends { id: string }>(items: readonly T[]): T[] {
	const byId = new Map<string, T>();
	for (const item of items) byId.set(item.id, item);
	return [...byId.values()];
}
