import type { BlobStore } from '@weft/engine';
import type { Kysely } from 'kysely';
import type { MigrateResult } from './migrate.js';
import type { Migration } from './migration.js';
import type { WeftDatabase } from './schema.js';
import type { SqlDialectName } from './sql-dialect.js';
import type { SqlExecutionStore } from './sql-execution-store.js';
import type { SqlQueue } from './sql-queue.js';
import type { SqlWorkflowStore } from './sql-workflow-store.js';

/** Options every SQL storage factory takes (`createSqliteStorage`, `createPostgresStorage`). */
export interface SqlStorageOptions {
  /**
   * Where node-run payloads above `blobThresholdBytes` go (a `FileSystemBlobStore` from `@weft/fs`,
   * an `S3BlobStore`...). Without one every payload stays in its `node_runs` row.
   */
  blobs?: BlobStore;
  /** Node-run payloads above this many bytes go to `blobs`; default 64 KiB. */
  blobThresholdBytes?: number;
  /** Apply pending migrations now (default true). */
  migrate?: boolean;
  /** Migrations to run instead of Weft's own (tests). */
  migrations?: readonly Migration[];
}

/**
 * What a SQL storage adapter hands its user, whichever the dialect (like kysely's `Dialect`, one
 * contract for every backend): the kysely instance over Weft's schema, the stores and queue built
 * on it, the blob store it was given, migrations and close. `@weft/sqlite` and `@weft/postgres`
 * implement it and add their own handles (the better-sqlite3 connection, the pg pool).
 *
 * @example
 * ```ts
 * const storage: SqlStorage = url.startsWith('postgres')
 *   ? await createPostgresStorage({ connectionString: url, blobs })
 *   : await createSqliteStorage({ filename, blobs });
 * const engine = new WorkflowEngine({ workflows: storage.workflows, executions: storage.executions, queue: storage.queue });
 * const users = await storage.db.selectFrom('users').select('email').execute();
 * await storage.close();
 * ```
 */
export interface SqlStorage {
  /** Which SQL dialect the database speaks (decides how JSON columns decode). */
  readonly dialect: SqlDialectName;
  /** Kysely over the database (on Postgres scoped to the storage's schema), for the stores' tables. */
  db: Kysely<WeftDatabase>;
  workflows: SqlWorkflowStore;
  executions: SqlExecutionStore;
  queue: SqlQueue;
  /** The blob store given in the options, if any. */
  blobs: BlobStore | undefined;
  /** Applies pending migrations (what `weft migrate` calls); idempotent. */
  migrate(): Promise<MigrateResult>;
  /** Waits for pending writes, wakes waiting workers and closes the connections it opened. */
  close(): Promise<void>;
}
