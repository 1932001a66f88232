import { sql } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Migration 27 (Postgres): lets an execution's status updates be HOT (heap-only) updates, which
 * write the new row version on the same page and touch no index.
 *
 * An update is HOT only if it changes no column any index refers to, predicates included, and
 * the page has room. Every execution is updated twice after its insert (queued -> running, then
 * its finish); `executions_queued` (migration 7) had `status = 'queued'` as its predicate, so
 * both updates wrote a new entry into each of the table's three full indexes (primary key, list,
 * by-workflow): six index entries per execution on top of the insert's four. Its replacement
 * covers the same rows for the sweeper through columns the queued -> running update leaves alone
 * (`finished_at is null and wait_kind is null`: queued and running executions, never parked or
 * finished ones), so that update can be HOT; the finish still changes `finished_at` and is not.
 * Fillfactor 70 leaves each page room for the updated versions. Under the queue bench about 0.55
 * of the two updates per execution are HOT (none before); host README, Capacity, has the WAL and
 * index figures.
 *
 * SQLite has no HOT updates; its schema is unchanged.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'postgres', schema: 'weft' });
 * ```
 */
export const hotExecutionUpdates: Migration = {
  version: 27,
  name: 'HOT updates of executions',
  async up(db, { dialect, schema }) {
    if (dialect !== 'postgres') return;
    await db.schema.dropIndex('executions_queued').execute();
    await db.schema
      .createIndex('executions_unfinished')
      .on('executions')
      .columns(['started_at', 'id'])
      .where(sql<boolean>`finished_at is null and wait_kind is null`)
      .execute();
    // Raw SQL does not get the schema kysely's withSchema gives built queries: name it.
    await sql`alter table ${sql.id(schema ?? 'public', 'executions')} set (fillfactor = 70)`.execute(db);
  },
};
