import type { Migration } from '../migration.js';

/**
 * Migration 23: secret rotation with an overlap window for outbound webhook subscriptions
 * (issue 18). After a rotation the previous signing secret stays, sealed like the current one,
 * until `previous_secret_expires_at`; until then deliveries carry a signature with each secret,
 * so receivers can switch to the new secret at their own pace.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'postgres', migrations: weftMigrations });
 * ```
 */
export const webhookSubscriptionSecretRotation: Migration = {
  version: 23,
  name: 'outbound webhook secret rotation overlap',
  async up(db, { types: t }) {
    await db.schema.alterTable('webhook_subscriptions').addColumn('previous_secret_key_id', 'text').execute();
    await db.schema.alterTable('webhook_subscriptions').addColumn('previous_secret_iv', 'text').execute();
    await db.schema.alterTable('webhook_subscriptions').addColumn('previous_secret_tag', 'text').execute();
    await db.schema.alterTable('webhook_subscriptions').addColumn('previous_secret_ciphertext', 'text').execute();
    await db.schema.alterTable('webhook_subscriptions').addColumn('previous_secret_expires_at', t.millis).execute();
  },
};
