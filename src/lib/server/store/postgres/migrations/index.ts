/**
 * Every PostgreSQL migration, in order (their own numbering: 1 is the whole schema as SQLite's 001-009 left
 * it). To change the schema, add a file here and one in sqlite/migrations; never edit a shipped one.
 */
import type { PgMigration } from '../migrate';
import { schema } from './001-schema';

export const pgMigrations: readonly PgMigration[] = [schema];

export const latestPgSchemaVersion = pgMigrations.length;
