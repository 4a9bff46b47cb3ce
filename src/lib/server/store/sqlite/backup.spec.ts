/**
 * The online backup on real files: a store the sync handlers wrote to, copied while it is open (its last commit
 * still in the WAL), then restored as the server would open it; copies under a stream of pushes; and what the
 * backup refuses (an existing file, a missing database or folder, a copy that fails the integrity check).
 */
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase } from '$factories/store';
import { mutation, pushBody, referral, visit } from '$factories/records';
import { A, enrollDevice, now, openFixtureStore, post } from '$factories/sync';
import { handlePull, handlePush } from '../../sync/http';
import type { Store } from '../store';
import { backupFileName, backupSqliteDatabase, BackupError, type BackupReport } from './backup';
import type { SqliteDatabase } from './connection';
import { latestSchemaVersion } from './migrations';
import { openSqliteStore } from './sqlite-store';

const AT = new Date('2026-12-01T01:30:00.456Z');
const at = () => AT;

let dir: string;
let live: string;
let backups: string;
const opened: Store[] = [];

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'escale-backup-'));
	mkdirSync(join(dir, 'data'));
	mkdirSync(join(dir, 'backups'));
	live = join(dir, 'data', 'escale.sqlite');
	backups = join(dir, 'backups');
});

afterEach(async () => {
	for (const store of opened.splice(0)) await store.close();
	rmSync(dir, { recursive: true, force: true });
});

async function openLive(): Promise<Store> {
	const store = await openFixtureStore({ file: live });
	opened.push(store);
	return store;
}

/** Pushes visits of bus A, each with one referral, as a tablet does; returns the records sent. */
async function pushVisits(store: Store, token: string, firstMutationId: number, count: number) {
	const visits = Array.from({ length: count }, () => visit(A.bus, A.days[0]));
	const referrals = visits.map((record) => referral(A.bus, record.id));
	const mutations = visits.flatMap((record, i) => [
		mutation(firstMutationId + 2 * i, 'visit.create', record.id, record),
		mutation(firstMutationId + 2 * i + 1, 'referral.create', referrals[i]?.id ?? '', referrals[i])
	]);
	const response = await handlePush(store, post('push', pushBody(mutations), token), now);
	expect(response.status).toBe(200);
	const answer = (await response.json()) as { results: { status: string }[] };
	expect(answer.results.every((result) => result.status === 'applied')).toBe(true);
	return { visits, referrals };
}

/** Each table's row count, read on a connection of its own. */
function countTables(file: string): { name: string; rows: number }[] {
	const db = openTestDatabase({ file });
	try {
		const names = db
			.prepare(
				"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
			)
			.pluck()
			.all() as string[];
		return names.map((name) => ({
			name,
			rows: db.prepare(`SELECT COUNT(*) FROM ${name}`).pluck().get() as number
		}));
	} finally {
		db.close();
	}
}

function rowsOf(report: BackupReport, table: string): number | undefined {
	return report.tables.find((entry) => entry.name === table)?.rows;
}

function withConnection(file: string, read: (db: SqliteDatabase) => unknown): unknown {
	const db = openTestDatabase({ file });
	try {
		return read(db);
	} finally {
		db.close();
	}
}

describe('backupFileName', () => {
	it('names the copy from the UTC time to the second, without colons', () => {
		expect(backupFileName(AT)).toBe('escale-2026-12-01T01-30-00Z.sqlite');
	});
});

describe('a backup of a store in use', () => {
	it('holds every committed push, the last one still in the WAL, and restores as a store with the same rows', async () => {
		const store = await openLive();
		const device = await enrollDevice(store, A.bus);
		const earlier = await pushVisits(store, device.token, 1, 20);
		// The write committed right before the backup: the server's connection has not checkpointed it.
		const last = await pushVisits(store, device.token, 41, 3);
		expect(statSync(`${live}-wal`).size).toBeGreaterThan(0);

		const report = await backupSqliteDatabase({ source: live, destinationDir: backups, now: at });

		expect(report.file).toBe(join(backups, 'escale-2026-12-01T01-30-00Z.sqlite'));
		expect(readdirSync(backups)).toEqual(['escale-2026-12-01T01-30-00Z.sqlite']);
		expect(report.bytes).toBe(statSync(report.file).size);
		expect(report.schemaVersion).toBe(latestSchemaVersion);
		expect(report.tables).toEqual(countTables(live));
		expect(rowsOf(report, 'visits')).toBe(23);
		expect(rowsOf(report, 'referrals')).toBe(23);
		expect(statSync(report.file).mode & 0o777).toBe(0o600);
		expect(withConnection(report.file, (db) => db.prepare('PRAGMA integrity_check').pluck().all())).toEqual([
			'ok'
		]);

		// Restore: the copy becomes the database of a fresh folder, opened as the server opens it.
		const restoredFile = join(dir, 'restored', 'escale.sqlite');
		mkdirSync(join(dir, 'restored'));
		copyFileSync(report.file, restoredFile);
		const restored = await openSqliteStore({ file: restoredFile });
		opened.push(restored);
		expect(await restored.health()).toMatchObject({
			ok: true,
			schemaVersion: latestSchemaVersion,
			journalMode: 'wal'
		});
		expect(await restored.syncStats.countRows()).toEqual(await store.syncStats.countRows());
		for (const id of [earlier.visits[0]?.id, earlier.visits[19]?.id, last.visits[2]?.id]) {
			expect(await restored.syncRecords.getVisit(id ?? '')).toEqual(
				await store.syncRecords.getVisit(id ?? '')
			);
		}
		const lastReferral = last.referrals[2]?.id ?? '';
		expect(await restored.syncRecords.getReferral(lastReferral)).toEqual(
			await store.syncRecords.getReferral(lastReferral)
		);
		expect(await restored.devices.get(device.deviceId)).toEqual(await store.devices.get(device.deviceId));

		// The tablet's credentials still work on the restored database, and its ledger is where it was.
		const pull = await handlePull(restored, post('pull', { protocol: 2, cursor: null }, device.token), now);
		expect(pull.status).toBe(200);
		expect(((await pull.json()) as { lastMutationId: number }).lastMutationId).toBe(46);
	});

	it('copies a consistent state while pushes keep committing: each push is in the copy whole or not at all', async () => {
		const store = await openLive();
		const device = await enrollDevice(store, A.bus);
		let backingUp = true;
		let pushes = 0;
		let duringBackup = 0;
		const writer = (async () => {
			while (backingUp) {
				await pushVisits(store, device.token, 2 * pushes + 1, 1);
				pushes += 1;
				duringBackup += 1;
				// The next push comes as a request of its own, after other work (here, the backup's steps) had its turn.
				await new Promise((resolve) => setImmediate(resolve));
			}
		})();
		// Let a few pushes commit first, so the copy starts from a store being written to.
		while (pushes < 3) await new Promise((resolve) => setImmediate(resolve));
		duringBackup = 0;
		let report: BackupReport;
		let pushedWhileCopying: number;
		try {
			report = await backupSqliteDatabase({ source: live, destinationDir: backups, now: at });
			pushedWhileCopying = duringBackup;
		} finally {
			backingUp = false;
			await writer;
		}

		// The pushes did run while the copy was made (else this test would prove nothing).
		expect(pushedWhileCopying).toBeGreaterThan(0);
		const copied = rowsOf(report, 'visits') ?? -1;
		expect(copied).toBeGreaterThanOrEqual(3);
		expect(copied).toBeLessThanOrEqual(pushes);
		// A push writes a visit, its referral, both digests, the device's ledger and the change log together.
		expect(rowsOf(report, 'referrals')).toBe(copied);
		expect(rowsOf(report, 'mutation_digests')).toBe(2 * copied);
		const ledger = withConnection(report.file, (db) =>
			db.prepare('SELECT last_mutation_id FROM devices WHERE id = ?').pluck().get(device.deviceId)
		);
		expect(ledger).toBe(2 * copied);
	});
});

describe('what a backup refuses', () => {
	it('never writes over a file that is there already, and leaves it as it was', async () => {
		const store = await openLive();
		await store.close();
		const existing = join(backups, backupFileName(AT));
		writeFileSync(existing, 'une autre sauvegarde');

		const backup = backupSqliteDatabase({ source: live, destinationDir: backups, now: at });

		await expect(backup).rejects.toThrow(BackupError);
		await expect(backup).rejects.toThrow(/existe déjà/);
		expect(readFileSync(existing, 'utf8')).toBe('une autre sauvegarde');
		expect(readdirSync(backups)).toEqual([backupFileName(AT)]);
	});

	it('says there is no database when the file is missing, and creates none', async () => {
		const backup = backupSqliteDatabase({ source: live, destinationDir: backups, now: at });

		await expect(backup).rejects.toThrow(/Aucune base de données à .*escale\.sqlite/);
		expect(existsSync(live)).toBe(false);
		expect(readdirSync(backups)).toEqual([]);
	});

	it('says so when the destination folder is missing or is a file', async () => {
		const store = await openLive();
		await store.close();

		await expect(
			backupSqliteDatabase({ source: live, destinationDir: join(dir, 'nowhere') })
		).rejects.toThrow(/n’existe pas/);
		await expect(backupSqliteDatabase({ source: live, destinationDir: live })).rejects.toThrow(
			/n’est pas un dossier/
		);
		expect(existsSync(join(dir, 'nowhere'))).toBe(false);
	});

	it('removes a copy that fails the integrity check, and says the live database may be damaged', async () => {
		const store = await openLive();
		await store.close();
		// A damaged database: a row whose key no longer matches its index entry (bytes changed behind SQLite).
		withConnection(live, (db) =>
			db.exec("CREATE TABLE damaged (key TEXT PRIMARY KEY); INSERT INTO damaged VALUES ('cle-intacte')")
		);
		const bytes = readFileSync(live);
		bytes.write('cle-abimee!', bytes.indexOf('cle-intacte'));
		writeFileSync(live, bytes);
		expect(withConnection(live, (db) => db.prepare('PRAGMA integrity_check').pluck().all())).not.toEqual([
			'ok'
		]);

		const backup = backupSqliteDatabase({ source: live, destinationDir: backups, now: at });

		await expect(backup).rejects.toThrow(/contrôle d’intégrité.*endommagée/);
		expect(readdirSync(backups)).toEqual([]);
	});
});
