import type { Migration } from '../migration.js';

/**
 * Migration 12: workflow test suites (issue 22). `workflow_test_suites` keeps every saved version
 * of a workflow's suite with the workflow version it was written against (suites are versioned
 * with their workflow, never changed in place); `workflow_test_runs` keeps each run's counts and
 * its per-case, per-assertion results. Runs are read newest first per workflow, hence the index.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: "sqlite", migrations: weftMigrations });
 * ```
 */
export const workflowTestSuites: Migration = {
  version: 12,
  name: 'workflow test suites',
  async up(db, { types: t }) {
    await db.schema
      .createTable('workflow_test_suites')
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('workflow_version', 'integer', (c) => c.notNull())
      .addColumn('suite', t.json, (c) => c.notNull())
      .addColumn('gate', 'integer', (c) => c.notNull())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('workflow_test_suites_pk', ['workspace_id', 'workflow_id', 'version'])
      .execute();
    await db.schema
      .createTable('workflow_test_runs')
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('workflow_version', 'integer', (c) => c.notNull())
      .addColumn('suite_version', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('total', 'integer', (c) => c.notNull())
      .addColumn('passed', 'integer', (c) => c.notNull())
      .addColumn('failed', 'integer', (c) => c.notNull())
      .addColumn('duration_ms', 'real', (c) => c.notNull())
      .addColumn('results', t.json, (c) => c.notNull())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('workflow_test_runs_pk', ['workspace_id', 'id'])
      .execute();
    await db.schema
      .createIndex('workflow_test_runs_by_workflow')
      .on('workflow_test_runs')
      .columns(['workspace_id', 'workflow_id', 'created_at', 'id'])
      .execute();
  },
};
