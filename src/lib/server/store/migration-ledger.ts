/**
 * What both engines' migration runners check before applying anything (sqlite/migrate.ts, postgres/migrate.ts):
 * the migrations are numbered 1, 2, 3... with kebab-case names, and the database holds none this build does
 * not know (a newer Escale migrated it) nor one recorded under another name (another build).
 */

/** A migration as the ledger table `schema_migrations` records it. */
export interface AppliedMigration {
	version: number;
	name: string;
}

export class SchemaTooNewError extends Error {
	override name = 'SchemaTooNewError';
}

export class SchemaMismatchError extends Error {
	override name = 'SchemaMismatchError';
}

export function assertKnown(
	applied: readonly AppliedMigration[],
	migrations: readonly AppliedMigration[]
): void {
	const latest = migrations.at(-1)?.version ?? 0;
	const newer = applied.filter((row) => row.version > latest);
	if (newer.length > 0) {
		const names = newer.map((row) => `${row.version} ${row.name}`).join(', ');
		throw new SchemaTooNewError(
			`The database was migrated by a newer Escale (schema version ${newer.at(-1)?.version}; this Escale knows ` +
				`up to ${latest}; unknown migrations: ${names}). Refusing to start so as not to damage it: run the ` +
				'newer Escale, or restore a backup made for this version.'
		);
	}
	for (const row of applied) {
		const known = migrations.find((migration) => migration.version === row.version);
		if (known && known.name !== row.name) {
			throw new SchemaMismatchError(
				`Migration ${row.version} is recorded as "${row.name}" in the database but is "${known.name}" in this ` +
					'Escale: the database comes from another build. Refusing to start.'
			);
		}
	}
}

/** Catches a developer's slip (duplicate or missing number) before it reaches a database. */
export function assertWellFormed(migrations: readonly AppliedMigration[]): void {
	migrations.forEach((migration, index) => {
		if (migration.version !== index + 1) {
			throw new Error(
				`Migrations must be numbered 1, 2, 3... in order; found ${migration.version} at position ${index + 1}.`
			);
		}
		if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(migration.name)) {
			throw new Error(`Migration ${migration.version} needs a kebab-case name, got "${migration.name}".`);
		}
	});
}
