import { sql } from 'kysely';
import type { Migration } from '../migration.js';

/**
 * Migration 8: execution analytics (`@weft/analytics`). `analytics_raw` holds one row per finished
 * execution (`node_id` '') or node run, appended in batches off the request path and kept 7 days;
 * `analytics_rollups` holds 5-minute, hourly and daily buckets (`bucket_ms`) per workspace, workflow
 * (`''` = all of the workspace), node (`''` = the execution) and status, with counts, sums,
 * min/max and a mergeable quantile sketch; `analytics_watermarks` says up to when each tier is
 * complete, written in the same transaction as the buckets.
 *
 * Raw rows are found by time only: on Postgres a BRIN index on `at` (rows arrive in time order,
 * so a few dozen bytes index millions of rows and cost an insert next to nothing), on SQLite a
 * B-tree. Rollups are found by (workspace, tier, workflow, node, time): their primary key.
 * See docs/decisions/0010-analytics-storage.md.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'postgres', migrations: weftMigrations });
 * ```
 */
export const analyticsTables: Migration = {
  version: 8,
  name: 'analytics raw rows, rollups and watermarks',
  async up(db, { types: t, dialect, schema }) {
    await db.schema
      .createTable('analytics_raw')
      .addColumn('seq', t.serial, (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('at', t.millis, (c) => c.notNull())
      .addColumn('duration_ms', 'double precision', (c) => c.notNull())
      .addColumn('retries', 'integer', (c) => c.notNull())
      .execute();
    if (dialect === 'postgres') {
      await sql`create index analytics_raw_at on ${sql.id(schema ?? 'public', 'analytics_raw')} using brin (at)`.execute(
        db,
      );
    } else await db.schema.createIndex('analytics_raw_at').on('analytics_raw').column('at').execute();
    await db.schema
      .createTable('analytics_rollups')
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('bucket_ms', 'integer', (c) => c.notNull())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('bucket_start', t.millis, (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('sum_ms', 'double precision', (c) => c.notNull())
      .addColumn('min_ms', 'double precision', (c) => c.notNull())
      .addColumn('max_ms', 'double precision', (c) => c.notNull())
      .addColumn('retries', 'integer', (c) => c.notNull())
      .addColumn('sketch', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('analytics_rollups_pk', [
        'workspace_id',
        'bucket_ms',
        'workflow_id',
        'node_id',
        'bucket_start',
        'status',
      ])
      .execute();
    await db.schema
      .createIndex('analytics_rollups_bucket')
      .on('analytics_rollups')
      .columns(['bucket_ms', 'bucket_start'])
      .execute();
    await db.schema
      .createTable('analytics_watermarks')
      .addColumn('tier', 'text', (c) => c.primaryKey())
      .addColumn('done_until', t.millis, (c) => c.notNull())
      .execute();
  },
};
