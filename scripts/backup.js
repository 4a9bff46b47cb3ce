#!/usr/bin/env node
// Backs up the server's SQLite database while the server runs (docs/deploy.md, "Backups and restore"):
//
//   npm run backup -- <destination folder>
//
// The database is the server's (ESCALE_DATA_DIR / ESCALE_DATABASE_URL, read as the server reads them). The copy
// is a new file of the folder, escale-<UTC time>.sqlite, never an existing one; it is checked before this says
// it is written (src/lib/server/store/sqlite/backup.ts). Prints the file, its size, its schema version and the
// rows of each table, never a row's content. A relative folder is taken from where the command was typed.
// Like create-member.js, it loads the server's TypeScript through Vite's SSR module loader, so it needs the dev
// dependencies (vite) installed.
import { resolve } from 'node:path';
import { openModuleLoader } from './server-modules.js';

const args = process.argv.slice(2);
if (args.length !== 1 || args[0].trim() === '' || args[0].startsWith('-')) {
	console.error('Usage : npm run backup -- <dossier de destination>');
	console.error('Écrit une copie vérifiée de la base dans un nouveau fichier escale-<heure UTC>.sqlite.');
	process.exit(2);
}
// npm runs scripts from the project's folder; INIT_CWD is where the command was typed.
const destinationDir = resolve(process.env.INIT_CWD ?? process.cwd(), args[0]);

const vite = await openModuleLoader();
/** 544 Kio, 12,3 Mio: the unit an operator compares with a disk's free space. */
function size(bytes) {
	const [value, unit] = bytes < 1024 ** 2 ? [bytes / 1024, 'Kio'] : [bytes / 1024 ** 2, 'Mio'];
	return `${value.toLocaleString('fr-FR', { maximumFractionDigits: 1 })} ${unit}`;
}

let code = 0;
try {
	const { readConfig } = await vite.ssrLoadModule('/src/lib/server/config.ts');
	const { backupSqliteDatabase } = await vite.ssrLoadModule('/src/lib/server/store/sqlite/backup.ts');
	const config = readConfig();
	if (config.database.engine !== 'sqlite') {
		const error = new Error(
			'la base est PostgreSQL : sauvegardez-la avec pg_dump ou la restauration à un instant donné (docs/deploy.md, « Sauvegardes »).'
		);
		error.name = 'BackupError';
		throw error;
	}
	const started = performance.now();
	const report = await backupSqliteDatabase({ source: config.database.file, destinationDir });
	const seconds = (performance.now() - started) / 1000;
	const width = Math.max(...report.tables.map((table) => table.name.length));
	console.info(`Sauvegarde écrite : ${report.file}
  taille             ${size(report.bytes)} (${report.bytes.toLocaleString('fr-FR')} octets)
  version du schéma  ${report.schemaVersion}, la même que la base en service
  intégrité          ok
  durée              ${seconds.toLocaleString('fr-FR', { maximumFractionDigits: 2 })} s (copie et vérification)
  lignes par table
${report.tables.map((table) => `    ${table.name.padEnd(width)}  ${table.rows.toLocaleString('fr-FR')}`).join('\n')}`);
} catch (error) {
	code = 1;
	// The module's and the configuration's errors say what to do; anything else is printed whole (it names
	// files and SQLite codes, never a row).
	const known = error instanceof Error && ['BackupError', 'ConfigError'].includes(error.name);
	console.error(known ? `Sauvegarde impossible : ${error.message}` : error);
} finally {
	await vite.close();
}
process.exit(code);
