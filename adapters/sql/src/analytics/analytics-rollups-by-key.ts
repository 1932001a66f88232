import { sql } from 'kysely';
import type { Migration } from '../migration.js';

const KEY = ['workspace_id', 'bucket_ms', 'workflow_id', 'node_id', 'bucket_start', 'status'] as const;
const COLUMNS = [...KEY, 'count', 'sum_ms', 'min_ms', 'max_ms', 'retries', 'sketch'] as const;

/**
 * Migration 24: `analytics_rollups` stored in primary-key order, so one series (a workspace,
 * tier, workflow, node) is a run of adjacent rows rather than one row per page. Same columns and
 * keys on both dialects (docs/decisions/0010-analytics-storage.md, amendment of migration 24):
 *
 * - SQLite: the table is rebuilt `WITHOUT ROWID`, its rows kept in the B-tree of its primary key
 *   (workspace, tier, workflow, node, bucket start, status) and the old rows copied in key order.
 * - Postgres: a heap cannot stay in key order, so the existing rows are rewritten once in
 *   primary-key order (`CLUSTER`); from then on the rollup job writes each tier's rows sorted by
 *   key and rewrites the daily rows of the current week in one statement each day, so a finished
 *   week's daily rows of a series share a page.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'sqlite', migrations: weftMigrations });
 * ```
 */
export const analyticsRollupsByKey: Migration = {
  version: 24,
  name: 'analytics rollups stored in key order',
  async up(db, { types: t, dialect, schema }) {
    if (dialect === 'postgres') {
      await sql`cluster ${sql.id(schema ?? 'public', 'analytics_rollups')} using analytics_rollups_pk`.execute(db);
      return;
    }
    await db.schema
      .createTable('analytics_rollups_by_key')
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
      .addPrimaryKeyConstraint('analytics_rollups_pk', [...KEY])
      .modifyEnd(sql`without rowid`)
      .execute();
    await db
      .insertInto('analytics_rollups_by_key')
      .columns([...COLUMNS])
      .expression(
        db
          .selectFrom('analytics_rollups')
          .select([...COLUMNS])
          .orderBy(sql.join(KEY.map((k) => sql.ref(k)))),
      )
      .execute();
    await db.schema.dropTable('analytics_rollups').execute();
    await db.schema.alterTable('analytics_rollups_by_key').renameTo('analytics_rollups').execute();
    await db.schema
      .createIndex('analytics_rollups_bucket')
      .on('analytics_rollups')
      .columns(['bucket_ms', 'bucket_start'])
      .execute();
  },
};
