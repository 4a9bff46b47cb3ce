#!/usr/bin/env node
// Applies the database's pending migrations without starting the server (docs/deploy.md, "Upgrades"):
//
//   npm run migrate
//
// The database is the server's (ESCALE_DATA_DIR / ESCALE_DATABASE_URL / DATABASE_URL, read as the server reads
// them). Each migration runs in its own transaction with its ledger row; running it twice does nothing; a
// database migrated by a newer Escale is refused. The server applies the same migrations when it starts, so
// this is for running them once before a new version's processes start. Prints the versions, never a row.
// Like backup.js, it loads the server's TypeScript through Vite, so it needs the dev dependencies.
import { openModuleLoader } from './server-modules.js';

const vite = await openModuleLoader();
let code = 0;
try {
	const { readConfig, describeDatabase } = await vite.ssrLoadModule('/src/lib/server/config.ts');
	const { migrateDatabase } = await vite.ssrLoadModule('/src/lib/server/store/open.ts');
	const config = readConfig();
	const report = await migrateDatabase(config.database);
	const where = `${report.engine} ${describeDatabase(config.database)}`;
	console.info(
		report.applied.length === 0
			? `Base à jour (${where}) : schéma version ${report.after}, aucune migration à appliquer.`
			: `Base migrée (${where}) : schéma version ${report.before} → ${report.after} (migrations ${report.applied.join(', ')}).`
	);
} catch (error) {
	code = 1;
	const known =
		error instanceof Error &&
		['ConfigError', 'SchemaTooNewError', 'SchemaMismatchError'].includes(error.name);
	console.error(known ? `Migration impossible : ${error.message}` : error);
} finally {
	await vite.close();
}
process.exit(code);
