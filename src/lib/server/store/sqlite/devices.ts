/** Enrolled devices and their one-time enrollment codes. */
import type { DeviceListing } from '../store';
import type { DeviceRepository, EnrollmentCodeRecord, EnrollmentCodeRepository } from '../sync-store';
import { fromDeviceRow, type CodeRow, type DeviceRow } from '../rows';
import { prepared } from './connection';
import type { Exec } from './exec';

export function createDeviceRepository(exec: Exec): DeviceRepository & DeviceListing {
	const get = (id: string) =>
		exec((db) => {
			const row = prepared(db, 'SELECT * FROM devices WHERE id = ?').get(id) as DeviceRow | undefined;
			return row ? fromDeviceRow(row) : null;
		});
	return {
		insert: (device) =>
			exec((db) => {
				prepared(
					db,
					`INSERT INTO devices (id, bus_id, secret_hash, app_version, created_at, revoked_at, last_mutation_id,
						last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
				).run(
					device.id,
					device.busId,
					device.secretHash,
					device.appVersion,
					device.createdAt,
					device.revokedAt,
					device.lastMutationId,
					device.lastSeenAt
				);
			}),
		get,
		// The write lock of the push's transaction (BEGIN IMMEDIATE) already keeps a second push waiting.
		getForPush: get,
		acknowledge: (id, lastMutationId, seenAt) =>
			exec((db) => {
				// MAX keeps the ledger from ever moving back.
				prepared(
					db,
					`UPDATE devices SET last_mutation_id = MAX(last_mutation_id, ?), last_seen_at = ? WHERE id = ?`
				).run(lastMutationId, seenAt, id);
			}),
		revoke: (id, at) =>
			exec(
				(db) =>
					prepared(db, 'UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id)
						.changes > 0
			),
		list: (limit) =>
			exec((db) =>
				(
					prepared(db, 'SELECT * FROM devices ORDER BY bus_id, created_at DESC, rowid DESC LIMIT ?').all(
						limit
					) as DeviceRow[]
				).map(fromDeviceRow)
			),
		listByBus: (busId) =>
			exec((db) =>
				(
					prepared(db, 'SELECT * FROM devices WHERE bus_id = ? ORDER BY created_at DESC, rowid DESC').all(
						busId
					) as DeviceRow[]
				).map(fromDeviceRow)
			)
	};
}

export function createEnrollmentCodeRepository(exec: Exec): EnrollmentCodeRepository {
	return {
		insert: (code) =>
			exec((db) => {
				prepared(
					db,
					`INSERT INTO enrollment_codes (code_hash, bus_id, created_at, expires_at, used_at, used_by_device)
						VALUES (?, ?, ?, ?, ?, ?)`
				).run(code.codeHash, code.busId, code.createdAt, code.expiresAt, code.usedAt, code.usedByDevice);
			}),
		get: (codeHash) =>
			exec((db) => {
				const row = prepared(db, 'SELECT * FROM enrollment_codes WHERE code_hash = ?').get(codeHash) as
					CodeRow | undefined;
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
			}),
		markUsed: (codeHash, deviceId, at) =>
			exec(
				(db) =>
					prepared(
						db,
						'UPDATE enrollment_codes SET used_at = ?, used_by_device = ? WHERE code_hash = ? AND used_at IS NULL'
					).run(at, deviceId, codeHash).changes > 0
			)
	};
}
