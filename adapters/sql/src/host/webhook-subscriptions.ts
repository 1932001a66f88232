import type { Migration } from '../migration.js';

/**
 * Migration 15: outbound webhook subscriptions (issue 18). `webhook_subscriptions` holds each
 * workspace's subscriptions to platform events with its signing secret sealed under a master key,
 * and the failure streak that disables it; `webhook_subscription_deliveries` is the durable
 * outbox and delivery log: one row per message, claimed by a host process under a lease, retried
 * with backoff, with the last attempt's outcome and the attempt history.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'sqlite', migrations: weftMigrations });
 * ```
 */
export const webhookSubscriptions: Migration = {
  version: 15,
  name: 'outbound webhook subscriptions',
  async up(db, { types: t }) {
    await db.schema
      .createTable('webhook_subscriptions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('events', t.json, (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('secret_key_id', 'text', (c) => c.notNull())
      .addColumn('secret_iv', 'text', (c) => c.notNull())
      .addColumn('secret_tag', 'text', (c) => c.notNull())
      .addColumn('secret_ciphertext', 'text', (c) => c.notNull())
      .addColumn('consecutive_failures', 'integer', (c) => c.notNull())
      .addColumn('failing_since', t.millis)
      .addColumn('disabled_reason', 'text')
      .addColumn('disabled_at', t.millis)
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addColumn('updated_at', t.millis, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('webhook_subscriptions_by_workspace')
      .on('webhook_subscriptions')
      .columns(['workspace_id', 'created_at'])
      .execute();
    await db.schema
      .createTable('webhook_subscription_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('subscription_id', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', t.millis, (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', t.millis)
      .addColumn('response_status', 'integer')
      .addColumn('response_body', 'text')
      .addColumn('duration_ms', 'integer')
      .addColumn('error', 'text')
      .addColumn('attempt_log', t.json, (c) => c.notNull())
      .addColumn('replay_of', 'text')
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addColumn('updated_at', t.millis, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('webhook_subscription_deliveries_due')
      .on('webhook_subscription_deliveries')
      .columns(['status', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('webhook_subscription_deliveries_by_subscription')
      .on('webhook_subscription_deliveries')
      .columns(['subscription_id', 'created_at'])
      .execute();
  },
};
