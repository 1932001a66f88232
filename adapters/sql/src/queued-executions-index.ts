import { sql } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Migration 7: a partial index over `queued` executions, oldest first, so the host's sweeper
 * finds executions whose start job was lost (the process died between storing the execution and
 * enqueueing its job) without scanning the table. Queued rows are few at any time, so the index
 * stays small and costs an insert little.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'postgres', migrations: weftMigrations });
 * ```
 */
export const queuedExecutionsIndex: Migration = {
  version: 7,
  name: 'index of queued executions',
  async up(db) {
    await db.schema
      .createIndex('executions_queued')
      .on('executions')
      .columns(['started_at', 'id'])
      .where(sql<boolean>`status = 'queued'`)
      .execute();
  },
};
