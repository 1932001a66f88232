import type { Migration } from '../migration.js';

/**
 * Migration 6: step-through debug sessions of the reference host. A session pins the workflow
 * document it debugs (drafts have no stored version), the pin data and breakpoints, and a lease
 * that keeps two requests from driving the same execution at once. Its execution row carries the
 * run itself (paused as `waiting` with `wait.kind = 'debug'`); deleting or pruning that execution
 * deletes the session.
 *
 * Execution search adds no index or full-text table here on purpose: indexing node-run payloads
 * (a trigger-maintained FTS table, or a GIN index) would cost every checkpoint insert on the hot
 * path, which runs thousands of times per second. The host scans payloads at search time instead,
 * within the rows the indexed filters (workspace, workflow, start time) select, a bounded number
 * of executions per request.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'sqlite', migrations: weftMigrations });
 * ```
 */
export const debugSessions: Migration = {
  version: 6,
  name: 'debug sessions',
  async up(db, { types: t }) {
    await db.schema
      .createTable('debug_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('execution_id', 'text', (c) => c.notNull().unique().references('executions.id').onDelete('cascade'))
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('workflow_version', 'integer', (c) => c.notNull())
      .addColumn('definition', t.json, (c) => c.notNull())
      .addColumn('pin_data', t.json, (c) => c.notNull())
      .addColumn('breakpoints', t.json, (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addColumn('updated_at', t.millis, (c) => c.notNull())
      .addColumn('lease_until', t.millis)
      .execute();
    await db.schema
      .createIndex('debug_sessions_workspace')
      .on('debug_sessions')
      .columns(['workspace_id', 'created_at'])
      .execute();
  },
};
