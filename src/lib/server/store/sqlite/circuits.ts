import type { Circuit, CircuitRule } from '$lib/domain/schedule';
import type { CircuitRepository } from '../store';
import { prepared } from './connection';
import type { Exec, Now } from './exec';

interface CircuitRow {
	id: string;
	bus_id: string;
	name: string;
	rules: string;
}

// Comparing the JSON text is enough to skip rewrites: the same rules serialise to the same text.
const UPSERT = `INSERT INTO circuits (id, bus_id, name, rules, updated_at)
	VALUES (@id, @bus_id, @name, @rules, @updated_at)
	ON CONFLICT (id) DO UPDATE SET bus_id = excluded.bus_id, name = excluded.name, rules = excluded.rules,
		updated_at = excluded.updated_at
	WHERE (circuits.bus_id, circuits.name, circuits.rules) IS NOT (excluded.bus_id, excluded.name, excluded.rules)`;

function fromRow(row: CircuitRow): Circuit {
	// The column's CHECK guarantees a JSON array; its elements were written from CircuitRule values.
	return { id: row.id, busId: row.bus_id, name: row.name, rules: JSON.parse(row.rules) as CircuitRule[] };
}

export function createCircuitRepository(exec: Exec, now: Now): CircuitRepository {
	return {
		upsertMany: (circuits) =>
			exec((db) => {
				const updatedAt = now();
				// What must stay true: a batch lands whole or not at all.
				db.transaction(() => {
					for (const circuit of circuits) {
						prepared(db, UPSERT).run({
							id: circuit.id,
							bus_id: circuit.busId,
							name: circuit.name,
							rules: JSON.stringify(circuit.rules),
							updated_at: updatedAt
						});
					}
				})();
			}),
		listByBus: (busId) =>
			exec((db) =>
				(prepared(db, 'SELECT * FROM circuits WHERE bus_id = ? ORDER BY id').all(busId) as CircuitRow[]).map(
					fromRow
				)
			),
		listAll: () =>
			exec((db) =>
				(prepared(db, 'SELECT * FROM circuits ORDER BY bus_id, id').all() as CircuitRow[]).map(fromRow)
			),
		get: (id) =>
			exec((db) => {
				const row = prepared(db, 'SELECT * FROM circuits WHERE id = ?').get(id) as CircuitRow | undefined;
				return row ? fromRow(row) : null;
			})
	};
}
