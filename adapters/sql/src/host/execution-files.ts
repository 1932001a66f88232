import type { Migration } from '../migration.js';

/**
 * Migration 14: files of executions (issue 16). `execution_files` lists every file a workflow
 * stored in the blob store (webhook uploads, downloads, files made by nodes) with its workspace,
 * execution and size: the sum per workspace is its quota usage, and files whose execution is gone
 * (pruned, deleted) are found by joining `executions`.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: "sqlite", migrations: weftMigrations });
 * ```
 */
export const executionFiles: Migration = {
  version: 14,
  name: 'execution files',
  async up(db, { types: t }) {
    await db.schema
      .createTable('execution_files')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('execution_id', 'text', (c) => c.notNull())
      .addColumn('size', t.millis, (c) => c.notNull())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('execution_files_by_workspace')
      .on('execution_files')
      .columns(['workspace_id', 'size'])
      .execute();
    await db.schema
      .createIndex('execution_files_by_execution')
      .on('execution_files')
      .columns(['execution_id'])
      .execute();
  },
};
