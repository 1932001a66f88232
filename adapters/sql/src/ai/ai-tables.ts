import type { Migration } from '../migration.js';

/**
 * Migration 17: the AI service's tables (issue 14). `ai_response_cache` keeps model answers by
 * their hashed, normalised prompt and context until `expires_at` (60 minutes by default; expired
 * rows are deleted as they are found and in chunks by `SqlAiResponseCache.prune`). `ai_usage`
 * records the tokens and cost of every model call per workspace, read back as totals by analytics.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: "sqlite", migrations: weftMigrations });
 * ```
 */
export const aiTables: Migration = {
  version: 17,
  name: 'ai cache and usage',
  async up(db, { types: t }) {
    await db.schema
      .createTable('ai_response_cache')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('expires_at', t.millis, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ai_response_cache_by_expiry').on('ai_response_cache').column('expires_at').execute();
    await db.schema
      .createTable('ai_usage')
      .addColumn('id', t.serial, (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('prompt_tokens', 'integer', (c) => c.notNull())
      .addColumn('completion_tokens', 'integer', (c) => c.notNull())
      .addColumn('cost_usd', 'double precision', (c) => c.notNull())
      .addColumn('at', t.millis, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('ai_usage_by_workspace').on('ai_usage').columns(['workspace_id', 'at']).execute();
  },
};
