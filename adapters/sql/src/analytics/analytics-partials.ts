import type { Migration } from '../migration.js';

/**
 * Migration 11: analytics ingest pre-aggregates. `analytics_partials` holds each ingest process's
 * running totals of a 5-minute bucket per workspace, workflow, node and status (count, sums,
 * min/max, retries, quantile sketch), rewritten in place as the bucket fills (primary key with
 * the process's `writer_id`), so a busy workflow costs one row per bucket, not one per execution.
 * It replaces migration 8's `analytics_raw` (one row per execution and node run), which is
 * dropped: the 5-minute rollup now merges partial rows. Rows are found by bucket start, the
 * primary key's first column. See docs/decisions/0010-analytics-storage.md.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'sqlite', migrations: weftMigrations });
 * ```
 */
export const analyticsPartials: Migration = {
  version: 11,
  name: 'analytics partial buckets replace raw rows',
  async up(db, { types: t }) {
    await db.schema
      .createTable('analytics_partials')
      .addColumn('bucket_start', t.millis, (c) => c.notNull())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('writer_id', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('sum_ms', 'double precision', (c) => c.notNull())
      .addColumn('min_ms', 'double precision', (c) => c.notNull())
      .addColumn('max_ms', 'double precision', (c) => c.notNull())
      .addColumn('retries', 'integer', (c) => c.notNull())
      .addColumn('sketch', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('analytics_partials_pk', [
        'bucket_start',
        'workspace_id',
        'workflow_id',
        'node_id',
        'status',
        'writer_id',
      ])
      .execute();
    await db.schema.dropTable('analytics_raw').execute();
  },
};
