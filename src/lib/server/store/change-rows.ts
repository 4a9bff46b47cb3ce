/** A change-log row as both engines read it back (`data` as JSON text), and the record pull hands out. */
import type { ChangeRecord } from './sync-store';

export interface ChangeRow {
	seq: number;
	entity: ChangeRecord['entity'];
	entity_id: string;
	op: ChangeRecord['op'];
	data: string | null;
}

export function toChangeRecord(row: ChangeRow): ChangeRecord {
	return {
		seq: row.seq,
		entity: row.entity,
		op: row.op,
		id: row.entity_id,
		data: row.data === null ? undefined : (JSON.parse(row.data) as unknown)
	};
}
