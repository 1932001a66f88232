import type { Migration } from '../migration.js';

/**
 * Migration 5: the webhook delivery log and event trigger subscriptions of the reference host.
 *
 * `webhook_deliveries` holds one row per inbound request (accepted or refused) or outbound attempt,
 * per workspace. The primary key `(at, id)` makes inserts append and pruning by age a range
 * delete; two indexes serve "newest deliveries of one workflow" and "of one endpoint" as range
 * scans. Nothing else is indexed: the table is written on the webhook hot path.
 * `event_triggers` holds, per active workflow version, the events its event trigger nodes listen
 * to, so any process can find the subscribers of `(workspace, event)` with one index lookup.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'sqlite', migrations: [...weftMigrations] });
 * ```
 */
export const deliveriesAndEventTriggers: Migration = {
  version: 5,
  name: 'webhook delivery log and event triggers',
  async up(db, { types: t }) {
    const s = db.schema;
    await s
      .createTable('webhook_deliveries')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text')
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('endpoint', 'text', (c) => c.notNull())
      .addColumn('method', 'text')
      .addColumn('event', 'text')
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('status', 'integer')
      .addColumn('ok', 'integer', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('refused_reason', 'text')
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addColumn('execution_id', 'text')
      .addColumn('at', t.millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('webhook_deliveries_pk', ['at', 'id'])
      .execute();
    await s
      .createIndex('webhook_deliveries_workflow')
      .on('webhook_deliveries')
      .columns(['workspace_id', 'workflow_id', 'at', 'id'])
      .execute();
    await s
      .createIndex('webhook_deliveries_endpoint')
      .on('webhook_deliveries')
      .columns(['workspace_id', 'endpoint', 'at', 'id'])
      .execute();
    await s
      .createTable('event_triggers')
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('workflow_version', 'integer', (c) => c.notNull())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('event_triggers_pk', ['workspace_id', 'workflow_id', 'node_id'])
      .execute();
    await s.createIndex('event_triggers_event').on('event_triggers').columns(['workspace_id', 'event']).execute();
  },
};
