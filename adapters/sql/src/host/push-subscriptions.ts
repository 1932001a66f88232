import type { Migration } from '../migration.js';

/**
 * Migration 3: Web Push subscriptions of the reference host — one row per user, workspace and push endpoint
 * (the browser's `PushSubscription`), scoped to a workspace, with the events it asked for.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'sqlite', migrations: [initialSchema, hostTables, pushSubscriptions] });
 * ```
 */
export const pushSubscriptions: Migration = {
  version: 3,
  name: 'web push subscriptions',
  async up(db, { types: t }) {
    await db.schema
      .createTable('push_subscriptions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('endpoint', 'text', (c) => c.notNull())
      .addColumn('keys', t.json, (c) => c.notNull())
      .addColumn('events', t.json, (c) => c.notNull())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addUniqueConstraint('push_subscriptions_user_endpoint', ['user_id', 'workspace_id', 'endpoint'])
      .execute();
    await db.schema
      .createIndex('push_subscriptions_workspace')
      .on('push_subscriptions')
      .columns(['workspace_id'])
      .execute();
  },
};
