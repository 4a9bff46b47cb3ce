/**
 * The PostgreSQL circuit repository (issue 12): the same semantics as sqlite/circuits.ts. The rules are a
 * `json` column holding the exact text written; a circuit stored again unchanged is not rewritten. `json` has
 * no equality, so the rules are compared as text, which is what SQLite compares too (the same rules serialise
 * to the same text). Lists sort in byte order (COLLATE "C"), as SQLite's BINARY collation does.
 */
import type { Circuit, CircuitRule } from '$lib/domain/schedule';
import type { Now } from '../sqlite/exec';
import type { CircuitRepository } from '../store';
import { rounds } from './batch';
import type { PgConnection } from './connection';
import type { PgScope } from './scope';

interface CircuitRow {
	id: string;
	bus_id: string;
	name: string;
	rules: string;
}

const UPSERT = `INSERT INTO circuits (id, bus_id, name, rules, updated_at)
	SELECT id, bus_id, name, rules::json, $5
	FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS batch (id, bus_id, name, rules, position)
	ORDER BY position
	ON CONFLICT (id) DO UPDATE SET bus_id = excluded.bus_id, name = excluded.name, rules = excluded.rules,
		updated_at = excluded.updated_at
	WHERE (circuits.bus_id, circuits.name, circuits.rules::text)
		IS DISTINCT FROM (excluded.bus_id, excluded.name, excluded.rules::text)`;

const SELECT = 'SELECT id, bus_id, name, rules FROM circuits';
const C = 'COLLATE "C"';

function fromRow(row: CircuitRow): Circuit {
	// The column's CHECK guarantees a JSON array; its elements were written from CircuitRule values.
	return { id: row.id, busId: row.bus_id, name: row.name, rules: JSON.parse(row.rules) as CircuitRule[] };
}

export function createPgCircuitRepository(scope: PgScope, now: Now): CircuitRepository {
	return {
		upsertMany: async (circuits) => {
			const updatedAt = now();
			// One statement per round (one round unless an id repeats): each lands whole or not at all.
			const write = (connection: PgConnection, batch: readonly Circuit[]) =>
				connection.query(UPSERT, [
					batch.map((circuit) => circuit.id),
					batch.map((circuit) => circuit.busId),
					batch.map((circuit) => circuit.name),
					batch.map((circuit) => JSON.stringify(circuit.rules)),
					updatedAt
				]);
			const [first, ...more] = rounds(circuits);
			if (!first) return;
			if (more.length === 0) await write(scope, first);
			else
				await scope.atomic(async (connection) => {
					for (const batch of [first, ...more]) await write(connection, batch);
				});
		},
		listByBus: async (busId) =>
			(await scope.query<CircuitRow>(`${SELECT} WHERE bus_id = $1 ORDER BY id ${C}`, [busId])).map(fromRow),
		listAll: async () =>
			(await scope.query<CircuitRow>(`${SELECT} ORDER BY bus_id ${C}, id ${C}`)).map(fromRow),
		get: async (id) => {
			const [row] = await scope.query<CircuitRow>(`${SELECT} WHERE id = $1`, [id]);
			return row ? fromRow(row) : null;
		}
	};
}
