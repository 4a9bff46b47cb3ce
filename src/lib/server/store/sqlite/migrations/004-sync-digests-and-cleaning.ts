/**
 * Sync hardening (issue 9).
 *
 * - `mutation_digests`: the SHA-256 of each mutation a device had acknowledged, so a replayed id is told
 *   from another record sent under an old id (docs/sync-protocol.md, "Reused ids"). Ids acknowledged before
 *   this migration have no digest.
 * - `rejected_mutations` keeps only what was checked: `kind` and `entity_id` become nullable (null: not
 *   kept), and the data step cleans the rows already there. Before, an unknown kind, an entity id of any
 *   shape and a payload whose bus or service day id was never checked were stored as sent: a name, a phone
 *   number or a NIR typed into them ended up shown to coordinators.
 * - `devices.app_version` that is not a version string (a tablet sent what it liked) is emptied.
 *
 * The data step uses this release's rules for identifiers and versions; a later release that changes them
 * adds its own migration.
 */
import { isServiceDayId } from '$lib/domain/validation';
import { isAppVersion, isMutationKind } from '$lib/sync/protocol';
import type { SqliteDatabase } from '../connection';
import type { Migration } from '../migrate';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The field names of the version 1 payloads: a path made of anything else names a key a tablet made up. */
const PAYLOAD_FIELDS = new Set([
	// visit and its requests
	'id',
	'busId',
	'serviceDayId',
	'recordedAt',
	'channel',
	'referenceVersion',
	'requests',
	'durationMinutes',
	'ageBand',
	'socialStatus',
	'residenceInsee',
	'correctionOf',
	'partner',
	'theme',
	'outcome',
	'onlineProcedure',
	'aidantsConnect',
	// referral, its history, consent and contact
	'visitId',
	'target',
	'mode',
	'reason',
	'dueDate',
	'status',
	'history',
	'at',
	'consent',
	'given',
	'contact',
	'phone',
	'email',
	'callbackSlot',
	// referral status change and service day report
	'referralId',
	'report',
	'delayMinutes'
]);

const UNKNOWN_KEY = 'Champ non autorisé : seuls les champs prévus sont acceptés';

/**
 * A detail without the name of a key the tablet made up: valibot put it in the path, and the path
 * went into the detail (`requests.0.Dupont : Champ non autorisé…`). Keeps the path up to the first segment
 * that is not a field name or an index.
 */
export function cleanRejectionDetail(detail: string | null): string | null {
	if (detail === null) return null;
	const at = detail.lastIndexOf(` : ${UNKNOWN_KEY}`);
	if (at < 0) return detail === UNKNOWN_KEY || !detail.includes(UNKNOWN_KEY) ? detail : UNKNOWN_KEY;
	const kept: string[] = [];
	for (const segment of detail.slice(0, at).split('.')) {
		if (!PAYLOAD_FIELDS.has(segment) && !/^\d{1,3}$/.test(segment)) break;
		kept.push(segment);
	}
	return kept.length > 0 ? `${kept.join('.')} : ${UNKNOWN_KEY}` : UNKNOWN_KEY;
}

interface RejectionRow {
	id: number;
	bus_id: string;
	kind: string | null;
	entity_id: string | null;
	detail: string | null;
	payload: string;
}

function cleanRejections(db: SqliteDatabase): void {
	const dayOfBus = db.prepare('SELECT 1 FROM service_days WHERE id = ? AND bus_id = ?');
	const isDayOf = (busId: string, id: unknown) =>
		typeof id === 'string' && isServiceDayId(id) && dayOfBus.get(id, busId) !== undefined;
	const update = db.prepare(
		'UPDATE rejected_mutations SET kind = ?, entity_id = ?, detail = ?, payload = ? WHERE id = ?'
	);
	const rows = db
		.prepare('SELECT id, bus_id, kind, entity_id, detail, payload FROM rejected_mutations')
		.all() as RejectionRow[];
	for (const row of rows) {
		const kind = row.kind !== null && isMutationKind(row.kind) ? row.kind : null;
		const entityId =
			kind === null || row.entity_id === null
				? null
				: kind === 'serviceDay.report'
					? isDayOf(row.bus_id, row.entity_id)
						? row.entity_id
						: null
					: UUID.test(row.entity_id)
						? row.entity_id
						: null;
		const payload = keptPayload(row, kind, isDayOf);
		const detail = cleanRejectionDetail(row.detail);
		if (kind !== row.kind || entityId !== row.entity_id || detail !== row.detail || payload !== row.payload) {
			update.run(kind, entityId, detail, payload, row.id);
		}
	}
}

/**
 * The stored payload if every bus and service day id in it belongs to the row's bus, 'null' otherwise. The
 * payloads were validated when stored; only these ids were of a loose shape and never looked up.
 */
function keptPayload(
	row: RejectionRow,
	kind: string | null,
	isDayOf: (busId: string, id: unknown) => boolean
): string {
	if (row.payload === 'null' || kind === null) return 'null';
	let value: unknown;
	try {
		value = JSON.parse(row.payload);
	} catch {
		return 'null';
	}
	if (typeof value !== 'object' || value === null) return 'null';
	const fields = value as Record<string, unknown>;
	const ownBus = fields.busId === row.bus_id;
	const checked =
		kind === 'visit.create'
			? ownBus && isDayOf(row.bus_id, fields.serviceDayId)
			: kind === 'referral.create'
				? ownBus
				: kind === 'serviceDay.report'
					? isDayOf(row.bus_id, fields.serviceDayId)
					: typeof fields.referralId === 'string' && UUID.test(fields.referralId);
	if (!checked) return 'null';
	return fields.contact === undefined || fields.contact === null
		? row.payload
		: JSON.stringify({ ...fields, contact: null });
}

function cleanAppVersions(db: SqliteDatabase): void {
	const update = db.prepare("UPDATE devices SET app_version = '' WHERE id = ?");
	const rows = db.prepare('SELECT id, app_version FROM devices').all() as {
		id: string;
		app_version: string;
	}[];
	for (const row of rows) if (!isAppVersion(row.app_version)) update.run(row.id);
}

export const syncDigestsAndCleaning: Migration = {
	version: 4,
	name: 'sync-digests-and-cleaning',
	sql: `
CREATE TABLE mutation_digests (
	device_id TEXT NOT NULL REFERENCES devices (id),
	mutation_id INTEGER NOT NULL CHECK (mutation_id >= 1),
	-- SHA-256 of the mutation as the tablet sent it (kind, entityId, schemaVersion, payload).
	digest BLOB NOT NULL CHECK (length(digest) = 32),
	PRIMARY KEY (device_id, mutation_id)
) STRICT, WITHOUT ROWID;

-- kind and entity_id become nullable: SQLite changes a column's constraints by rebuilding its table.
CREATE TABLE rejected_mutations_v4 (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	device_id TEXT NOT NULL REFERENCES devices (id),
	bus_id TEXT NOT NULL,
	mutation_id INTEGER NOT NULL,
	-- Null: a kind this server does not know (it is not kept).
	kind TEXT,
	-- Null: not of its kind's shape, or a service day the device's bus does not have (it is not kept).
	entity_id TEXT,
	reason TEXT NOT NULL,
	detail TEXT,
	-- The payload as validated, JSON, without a contact; 'null' when it failed its schema or names a bus
	-- or a service day the device's bus does not have.
	payload TEXT NOT NULL,
	at TEXT NOT NULL,
	UNIQUE (device_id, mutation_id)
) STRICT;
INSERT INTO rejected_mutations_v4 (id, device_id, bus_id, mutation_id, kind, entity_id, reason, detail, payload, at)
	SELECT id, device_id, bus_id, mutation_id, kind, entity_id, reason, detail, payload, at FROM rejected_mutations;
DROP TABLE rejected_mutations;
ALTER TABLE rejected_mutations_v4 RENAME TO rejected_mutations;
CREATE INDEX rejected_mutations_bus ON rejected_mutations (bus_id, id);
`,
	data(db) {
		cleanRejections(db);
		cleanAppVersions(db);
	}
};
