import type { Migration } from '../migration.js';

/**
 * Migration 19: stored analytics settings and alert state. `analytics_settings` holds the SLO
 * objective, cost rates and minutes saved per run of a workflow (`workflow_id` empty: the
 * workspace's default), as a JSON document of the fields set. `analytics_alert_state` holds
 * whether an SLO burn-rate or anomaly alert of a workflow is firing; `version` is bumped by each
 * transition, claimed with a compare-and-set so processes and restarts emit each transition once.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'sqlite', migrations: weftMigrations });
 * ```
 */
export const analyticsSettingsTables: Migration = {
  version: 19,
  name: 'analytics settings and alert state',
  async up(db, { types: t }) {
    await db.schema
      .createTable('analytics_settings')
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('updated_at', t.millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('analytics_settings_pk', ['workspace_id', 'workflow_id'])
      .execute();
    await db.schema
      .createTable('analytics_alert_state')
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('since', t.millis, (c) => c.notNull())
      .addColumn('detail', 'text')
      .addPrimaryKeyConstraint('analytics_alert_state_pk', ['workspace_id', 'workflow_id', 'kind'])
      .execute();
  },
};
