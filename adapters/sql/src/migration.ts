import type { Kysely } from 'kysely';
import type { SqlDialectName } from './sql-dialect.js';

/** Column types that differ between the dialects, for migrations to use. */
export interface MigrationTypes {
  /** `text` on SQLite, `jsonb` on Postgres. */
  json: 'text' | 'jsonb';
  /** `integer` on SQLite (64-bit anyway), `bigint` on Postgres. */
  millis: 'integer' | 'bigint';
  /** An auto-incrementing integer primary key type: `integer` (rowid) on SQLite, `bigserial` on Postgres. */
  serial: 'integer' | 'bigserial';
}

/** What a migration knows about where it runs. */
export interface MigrationContext {
  dialect: SqlDialectName;
  types: MigrationTypes;
  /** The Postgres schema the tables live in (`public` when none was given); undefined on SQLite. */
  schema: string | undefined;
}

/**
 * One versioned schema change. Migrations run in version order inside a single transaction, so a
 * failing one leaves the database exactly as it was.
 *
 * @example
 * ```ts
 * const addTags: Migration = {
 *   version: 2,
 *   name: 'workflow tags',
 *   async up(db) { await db.schema.alterTable('workflows').addColumn('tags', 'text').execute(); },
 * };
 * ```
 */
export interface Migration {
  version: number;
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: migrations build tables that the typed schema does not know yet
  up(db: Kysely<any>, context: MigrationContext): Promise<void>;
}

/**
 * The dialect-specific column types for migrations.
 *
 * @example
 * ```ts
 * const { json } = migrationTypes('postgres'); // 'jsonb'
 * ```
 */
export function migrationTypes(dialect: SqlDialectName): MigrationTypes {
  return dialect === 'sqlite'
    ? { json: 'text', millis: 'integer', serial: 'integer' }
    : { json: 'jsonb', millis: 'bigint', serial: 'bigserial' };
}
