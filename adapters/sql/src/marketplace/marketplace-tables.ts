import { sql } from 'kysely';
import type { Migration } from '../migration.js';

/**
 * Migration 10: the template marketplace (`@weft/marketplace`). Listings with their counters and
 * rating aggregate, immutable versions, facet values (category, connector) one row each, installs,
 * reviews (one per user and template), review reports (one per user and review) and purchases
 * (one per payment reference).
 *
 * Full-text search: on SQLite an FTS5 table `marketplace_templates_fts` (unicode61, diacritics
 * kept) that the store rewrites with each listing; on Postgres a stored generated `search`
 * tsvector (`simple` configuration: no stemming, like FTS5) with a GIN index.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'postgres', migrations: weftMigrations });
 * ```
 */
export const marketplaceTables: Migration = {
  version: 10,
  name: 'marketplace templates, versions, installs, reviews and purchases with full-text search',
  async up(db, { types: t, dialect, schema }) {
    await db.schema
      .createTable('marketplace_templates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('search_tags', 'text', (c) => c.notNull())
      .addColumn('creator_id', 'text', (c) => c.notNull())
      .addColumn('listing', t.json, (c) => c.notNull())
      .addColumn('price_amount', 'integer', (c) => c.notNull())
      .addColumn('latest_version', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('views', t.millis, (c) => c.notNull().defaultTo(0))
      .addColumn('installs', t.millis, (c) => c.notNull().defaultTo(0))
      .addColumn('rating_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rating_sum', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addColumn('updated_at', t.millis, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('marketplace_templates_creator')
      .on('marketplace_templates')
      .columns(['creator_id'])
      .execute();
    if (dialect === 'sqlite') {
      await sql`create virtual table marketplace_templates_fts using fts5(template_id unindexed, body, tokenize = 'unicode61 remove_diacritics 0')`.execute(
        db,
      );
    } else {
      const table = sql.id(schema ?? 'public', 'marketplace_templates');
      await sql`alter table ${table} add column search tsvector generated always as (to_tsvector('simple', name || ' ' || summary || ' ' || description || ' ' || search_tags)) stored`.execute(
        db,
      );
      await sql`create index marketplace_templates_search on ${table} using gin (search)`.execute(db);
    }
    await db.schema
      .createTable('marketplace_template_facets')
      .addColumn('template_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('marketplace_template_facets_pk', ['template_id', 'kind', 'value'])
      .execute();
    await db.schema
      .createIndex('marketplace_template_facets_value')
      .on('marketplace_template_facets')
      .columns(['kind', 'value'])
      .execute();
    await db.schema
      .createTable('marketplace_versions')
      .addColumn('template_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('changelog', 'text', (c) => c.notNull())
      .addColumn('workflow', t.json, (c) => c.notNull())
      .addColumn('inputs', t.json, (c) => c.notNull())
      .addColumn('credentials', t.json, (c) => c.notNull())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('marketplace_versions_pk', ['template_id', 'version'])
      .execute();
    await db.schema
      .createTable('marketplace_installs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('template_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('installed_at', t.millis, (c) => c.notNull())
      .addColumn('updated_at', t.millis, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('marketplace_installs_workspace')
      .on('marketplace_installs')
      .columns(['workspace_id', 'installed_at'])
      .execute();
    await db.schema
      .createIndex('marketplace_installs_user')
      .on('marketplace_installs')
      .columns(['user_id', 'template_id'])
      .execute();
    await db.schema
      .createTable('marketplace_reviews')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('template_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('rating', 'integer', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reports', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addColumn('updated_at', t.millis, (c) => c.notNull())
      .addUniqueConstraint('marketplace_reviews_one_per_user', ['template_id', 'user_id'])
      .execute();
    await db.schema
      .createIndex('marketplace_reviews_status')
      .on('marketplace_reviews')
      .columns(['status', 'created_at'])
      .execute();
    await db.schema
      .createTable('marketplace_review_reports')
      .addColumn('review_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('at', t.millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('marketplace_review_reports_pk', ['review_id', 'user_id'])
      .execute();
    await db.schema
      .createTable('marketplace_purchases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('template_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('creator_id', 'text', (c) => c.notNull())
      .addColumn('amount', 'integer', (c) => c.notNull())
      .addColumn('fee_amount', 'integer', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('payment_ref', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addColumn('updated_at', t.millis, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('marketplace_purchases_user')
      .on('marketplace_purchases')
      .columns(['user_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('marketplace_purchases_creator')
      .on('marketplace_purchases')
      .columns(['creator_id'])
      .execute();
  },
};
