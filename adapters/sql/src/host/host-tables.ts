import type { Migration } from '../migration.js';

/**
 * Migration 2: what the reference host needs beyond the engine's tables — API keys (SHA-256 hashes
 * only), refresh-token sessions, one-time sign-up tokens, TOTP MFA on users, and the credential
 * vault's envelope columns (`iv`, `tag`, `status`) plus its per-workspace `data_keys`.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'sqlite', migrations: [initialSchema, hostTables] });
 * ```
 */
export const hostTables: Migration = {
  version: 2,
  name: 'host identity, api keys and vault columns',
  async up(db, { types: t }) {
    const s = db.schema;
    await s.alterTable('users').addColumn('totp_secret', 'text').execute();
    await s
      .alterTable('users')
      .addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await s.alterTable('users').addColumn('recovery_codes', t.json).execute();
    await s
      .alterTable('credentials')
      .addColumn('iv', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await s
      .alterTable('credentials')
      .addColumn('tag', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await s
      .alterTable('credentials')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
      .execute();
    await s.alterTable('credentials').addColumn('status_reason', 'text').execute();
    await s
      .createTable('data_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().unique())
      .addColumn('master_key_id', 'text', (c) => c.notNull())
      .addColumn('iv', 'text', (c) => c.notNull())
      .addColumn('tag', 'text', (c) => c.notNull())
      .addColumn('wrapped_key', 'text', (c) => c.notNull())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .execute();
    await s
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull().unique())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('scopes', t.json, (c) => c.notNull())
      .addColumn('expires_at', t.millis)
      .addColumn('last_used_at', t.millis)
      .addColumn('revoked_at', t.millis)
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .execute();
    await s.createIndex('api_keys_workspace').on('api_keys').columns(['workspace_id', 'created_at']).execute();
    await s
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('refresh_hash', 'text', (c) => c.notNull().unique())
      .addColumn('expires_at', t.millis, (c) => c.notNull())
      .addColumn('revoked_at', t.millis)
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .execute();
    await s.createIndex('sessions_user').on('sessions').columns(['user_id']).execute();
    await s
      .createTable('signup_tokens')
      .addColumn('hash', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text')
      .addColumn('email', 'text')
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('expires_at', t.millis, (c) => c.notNull())
      .addColumn('used_at', t.millis)
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .execute();
    await s.createIndex('webhooks_workflow').on('webhooks').columns(['workspace_id', 'workflow_id']).execute();
  },
};
