/**
 * An online backup of the SQLite database, for `npm run backup -- <folder>` (scripts/backup.js, docs/deploy.md).
 *
 * It opens its own connection to the live file and copies it with SQLite's backup API while the server keeps
 * writing: the copy is read through the WAL, so it holds every transaction committed before it started and none
 * half-way. It writes a new file named from the UTC time, never an existing one, then checks that copy with a
 * fresh connection (integrity check, schema version, rows per table) before saying it is good. Nothing here
 * reads a row's content: the report names tables and counts, the messages name files.
 */
import Database from 'better-sqlite3';
import { accessSync, closeSync, constants, openSync, rmSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { SqliteDatabase } from './connection';
import { readSchemaVersion } from './migrate';

export interface BackupOptions {
	/** The live database file, as the server reads it (`config.database.file`). */
	source: string;
	/** An existing folder; the copy is a new file in it. */
	destinationDir: string;
	/** The clock that names the file. */
	now?: () => Date;
}

export interface BackupReport {
	/** The copy's path. */
	file: string;
	bytes: number;
	/** The highest migration applied, the same in the copy as in the live database. */
	schemaVersion: number;
	/** Every table of the copy with its number of rows, by name. */
	tables: { name: string; rows: number }[];
}

/** A backup that could not be made or did not check out; the message says why, in French, for the operator. */
export class BackupError extends Error {
	override name = 'BackupError';
}

/** The waiting time for a lock held by the server (a checkpoint), as the server's own connection waits. */
const BUSY_TIMEOUT_MS = 5000;
/**
 * better-sqlite3 copies 100 pages per step by default, and SQLite starts the copy again when another connection
 * writes between two steps: under steady syncs a large database might never finish. One step copies the whole
 * database under one read transaction, which in WAL mode does not hold the server's writers back.
 */
const ALL_PAGES = 0x7fffffff;

/** `escale-2026-12-01T01-30-00Z.sqlite`: sorts by time, and has no colon (not allowed in Windows file names). */
export function backupFileName(at: Date): string {
	const stamp = at.toISOString().slice(0, 19).replaceAll(':', '-');
	return `escale-${stamp}Z.sqlite`;
}

/** Copies the live database into a new file of `destinationDir` and checks the copy. */
export async function backupSqliteDatabase(options: BackupOptions): Promise<BackupReport> {
	const { source, destinationDir } = options;
	assertSourceFile(source);
	assertWritableFolder(destinationDir);
	const file = join(destinationDir, backupFileName((options.now ?? (() => new Date()))()));
	createEmptyFile(file);
	try {
		const sourceVersion = await copyDatabase(source, file);
		const report = verifyCopy(file, sourceVersion);
		return { file, bytes: statSync(file).size, ...report };
	} catch (error) {
		// The file is ours (created above, exclusively): a copy that failed or did not check out is no backup.
		for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(file + suffix, { force: true });
		throw error;
	}
}

function assertSourceFile(source: string): void {
	if (source === ':memory:') {
		throw new BackupError(
			'La base est en mémoire (ESCALE_DATABASE_URL=sqlite::memory:) : il n’y a aucun fichier à sauvegarder.'
		);
	}
	const stats = statOrNull(source);
	if (stats === null) {
		throw new BackupError(
			`Aucune base de données à ${source} : vérifiez ESCALE_DATA_DIR et ESCALE_DATABASE_URL ` +
				'(les mêmes que pour le serveur) et que le serveur a démarré au moins une fois.'
		);
	}
	if (!stats.isFile()) throw new BackupError(`${source} n’est pas un fichier de base de données.`);
}

function assertWritableFolder(folder: string): void {
	const stats = statOrNull(folder);
	if (stats === null) {
		throw new BackupError(`Le dossier de destination ${folder} n’existe pas : créez-le d’abord.`);
	}
	if (!stats.isDirectory()) throw new BackupError(`La destination ${folder} n’est pas un dossier.`);
	try {
		accessSync(folder, constants.W_OK);
	} catch {
		throw notWritable(folder);
	}
}

/**
 * Creates the copy's file, failing if one is there already: `wx` is one system call (O_EXCL), so no other
 * backup nor any file created since the check above can be overwritten. Readable by its owner only: the copy
 * holds what the database holds (contacts of referrals, members' password hashes).
 */
function createEmptyFile(file: string): void {
	try {
		closeSync(openSync(file, 'wx', 0o600));
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EEXIST') {
			throw new BackupError(
				`Le fichier ${file} existe déjà : une sauvegarde n’écrase jamais un fichier. ` +
					'Relancez dans une seconde, ou choisissez un autre dossier.'
			);
		}
		if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw notWritable(file);
		throw error;
	}
}

function notWritable(path: string): BackupError {
	return new BackupError(
		`Impossible d’écrire dans ${path} : vérifiez les droits du dossier pour l’utilisateur qui lance la sauvegarde.`
	);
}

/**
 * Copies the database into `file` and returns the schema version it had. The connection changes nothing in
 * the live file: no journal mode nor any pragma is set, only a waiting time for locks.
 */
async function copyDatabase(source: string, file: string): Promise<number> {
	let db: SqliteDatabase;
	try {
		db = new Database(source, { fileMustExist: true });
	} catch (error) {
		throw unreadable(source, error);
	}
	try {
		db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
		let version: number;
		try {
			version = readSchemaVersion(db);
		} catch (error) {
			throw unreadable(source, error);
		}
		if (version === 0) {
			throw new BackupError(
				`${source} n’est pas une base Escale (aucune migration appliquée) : vérifiez le chemin.`
			);
		}
		await db.backup(file, { progress: () => ALL_PAGES });
		return version;
	} finally {
		db.close();
	}
}

function unreadable(source: string, error: unknown): BackupError {
	const code = (error as { code?: unknown }).code;
	const why = code === 'SQLITE_NOTADB' ? 'ce n’est pas une base SQLite' : String(code ?? error);
	return new BackupError(`Impossible de lire la base ${source} : ${why}.`);
}

/**
 * Opens the copy on its own connection and checks it. The copy takes the rollback journal (`DELETE`) instead
 * of the live file's WAL, so that it is one self-contained file; the server sets WAL again when it opens it.
 */
function verifyCopy(file: string, sourceVersion: number): Omit<BackupReport, 'file' | 'bytes'> {
	const db = new Database(file, { fileMustExist: true });
	try {
		db.pragma('journal_mode = DELETE');
		const problems = checkIntegrity(db);
		if (problems !== null) {
			throw new BackupError(
				`La copie ne passe pas le contrôle d’intégrité (${problems}) ; elle a été supprimée. La base en ` +
					'service est peut-être endommagée : vérifiez-la (PRAGMA integrity_check) sans attendre.'
			);
		}
		const schemaVersion = readSchemaVersion(db);
		if (schemaVersion !== sourceVersion) {
			throw new BackupError(
				`La copie est à la version de schéma ${schemaVersion}, la base en service à ${sourceVersion} ` +
					'(le serveur a-t-il migré pendant la copie ?) ; elle a été supprimée : relancez la sauvegarde.'
			);
		}
		return { schemaVersion, tables: countRows(db) };
	} finally {
		db.close();
	}
}

/**
 * null when `PRAGMA integrity_check` answers `ok`, else what is wrong in a few words: how many problems it lists,
 * or SQLite's error when a damaged page stops the check itself.
 */
function checkIntegrity(db: SqliteDatabase): string | null {
	let rows: string[];
	try {
		rows = db.prepare('PRAGMA integrity_check').pluck().all() as string[];
	} catch (error) {
		return String((error as { code?: unknown }).code ?? error);
	}
	if (rows.length === 1 && rows[0] === 'ok') return null;
	return `${rows.length} problème(s) signalé(s)`;
}

/** Every table's row count (SQLite's own tables aside), read from the copy's schema, not from a list kept here. */
function countRows(db: SqliteDatabase): { name: string; rows: number }[] {
	const names = db
		.prepare(
			"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
		)
		.pluck()
		.all() as string[];
	return names.map((name) => ({
		name,
		rows: db
			.prepare(`SELECT COUNT(*) FROM "${name.replaceAll('"', '""')}"`)
			.pluck()
			.get() as number
	}));
}

function statOrNull(path: string): Stats | null {
	try {
		return statSync(path);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') return null;
		throw error;
	}
}
