/**
 * Enrolled devices and their one-time enrollment codes on PostgreSQL: the same semantics as
 * sqlite/devices.ts, method by method.
 *
 * Text is ordered with `COLLATE "C"` (byte order, as SQLite compares text) so the listing does not depend on
 * the database's locale. PostgreSQL has no rowid: devices enrolled in the same millisecond of one bus are
 * ordered by id (descending) instead of by insertion order.
 */
import type { DeviceListing } from '../store';
import type { DeviceRepository, EnrollmentCodeRecord, EnrollmentCodeRepository } from '../sync-store';
import { fromDeviceRow, type CodeRow, type DeviceRow } from '../rows';
import type { PgConnection } from './connection';

const DEVICE_COLUMNS =
	'id, bus_id, secret_hash, app_version, created_at, revoked_at, last_mutation_id, last_seen_at';

export function createPgDeviceRepository(connection: PgConnection): DeviceRepository & DeviceListing {
	return {
		insert: async (device) => {
			await connection.query(
				`INSERT INTO devices (${DEVICE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
				[
					device.id,
					device.busId,
					device.secretHash,
					device.appVersion,
					device.createdAt,
					device.revokedAt,
					device.lastMutationId,
					device.lastSeenAt
				]
			);
		},
		get: async (id) => {
			const [row] = await connection.query<DeviceRow>(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE id = $1`, [
				id
			]);
			return row ? fromDeviceRow(row) : null;
		},
		getForPush: async (id) => {
			// Two pushes of one device on two connections would both read the same ledger and insert the same
			// records: the second would fail on a key (a 500). Under READ COMMITTED the waiting one reads the row
			// as the first one's commit left it.
			const [row] = await connection.query<DeviceRow>(
				`SELECT ${DEVICE_COLUMNS} FROM devices WHERE id = $1 FOR UPDATE`,
				[id]
			);
			return row ? fromDeviceRow(row) : null;
		},
		acknowledge: async (id, lastMutationId, seenAt) => {
			// GREATEST keeps the ledger from ever moving back.
			await connection.query(
				`UPDATE devices SET last_mutation_id = GREATEST(last_mutation_id, $1), last_seen_at = $2
				WHERE id = $3`,
				[lastMutationId, seenAt, id]
			);
		},
		revoke: async (id, at) =>
			(
				await connection.query(
					'UPDATE devices SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING 1',
					[at, id]
				)
			).length > 0,
		list: async (limit) =>
			(
				await connection.query<DeviceRow>(
					`SELECT ${DEVICE_COLUMNS} FROM devices
					ORDER BY bus_id COLLATE "C", created_at COLLATE "C" DESC, id COLLATE "C" DESC LIMIT $1`,
					[limit]
				)
			).map(fromDeviceRow),
		listByBus: async (busId) =>
			(
				await connection.query<DeviceRow>(
					`SELECT ${DEVICE_COLUMNS} FROM devices WHERE bus_id = $1
					ORDER BY created_at COLLATE "C" DESC, id COLLATE "C" DESC`,
					[busId]
				)
			).map(fromDeviceRow)
	};
}

export function createPgEnrollmentCodeRepository(connection: PgConnection): EnrollmentCodeRepository {
	return {
		insert: async (code) => {
			await connection.query(
				`INSERT INTO enrollment_codes (code_hash, bus_id, created_at, expires_at, used_at, used_by_device)
				VALUES ($1, $2, $3, $4, $5, $6)`,
				[code.codeHash, code.busId, code.createdAt, code.expiresAt, code.usedAt, code.usedByDevice]
			);
		},
		get: async (codeHash) => {
			const [row] = await connection.query<CodeRow>(
				`SELECT code_hash, bus_id, created_at, expires_at, used_at, used_by_device FROM enrollment_codes
				WHERE code_hash = $1`,
				[codeHash]
			);
			if (!row) return null;
			const record: EnrollmentCodeRecord = {
				codeHash: row.code_hash,
				busId: row.bus_id,
				createdAt: row.created_at,
				expiresAt: row.expires_at,
				usedAt: row.used_at,
				usedByDevice: row.used_by_device
			};
			return record;
		},
		markUsed: async (codeHash, deviceId, at) =>
			(
				await connection.query(
					`UPDATE enrollment_codes SET used_at = $1, used_by_device = $2
					WHERE code_hash = $3 AND used_at IS NULL RETURNING 1`,
					[at, deviceId, codeHash]
				)
			).length > 0
	};
}
