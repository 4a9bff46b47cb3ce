/**
 * Helpers for the PostgreSQL repositories that upsert a batch in one statement (issue 12). One `INSERT ...
 * SELECT FROM unnest(...)` cannot touch a row twice (PostgreSQL refuses "ON CONFLICT DO UPDATE command cannot
 * affect row a second time"), where SQLite's row-by-row loop writes an id given twice twice: the insert, then
 * an update if the second copy differs (a second change logged, a second revision for a service day). So a
 * batch is cut into rounds, the k-th round holding the k-th copy of each id, and the rounds run in order in
 * one transaction: both engines end with the same rows, revisions and counts. A batch without repeated ids,
 * the usual case, is one round.
 */

/** The batch cut into rounds in which each id appears once, keeping the order of the batch in each. */
export function rounds<T extends { id: string }>(items: readonly T[]): T[][] {
	const result: T[][] = [];
	const seen = new Map<string, number>();
	for (const item of items) {
		const round = seen.get(item.id) ?? 0;
		seen.set(item.id, round + 1);
		(result[round] ??= []).push(item);
	}
	return result;
}
