import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalyticsIngest, ONE_DAY, ONE_HOUR, Rollups } from '@weft/analytics';
import { type AnalyticsStore, MemoryAnalyticsStore, type RawRecord, type RollupRow } from '@weft/engine';
import { createPostgresStorage } from '@weft/postgres';
import { migrate, SqlAnalyticsStore, type WeftDatabase, weftMigrations } from '@weft/sql';
import { createSqliteStorage } from '@weft/sqlite';
import { serviceUrl } from '@weft/testing';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../testing/postgres-database.js';

// Migration 24 and the rollup job keep a series' rollup rows together (ADR 0010): SQLite stores
// them in primary-key order, Postgres gets them rewritten in key order once and, from then on, a
// week of daily rows written in one statement.

const pg = await serviceUrl('pg');
const WEEK = 7 * ONE_DAY;
/** A Monday noon; its epoch week (Thursday to Wednesday) started four days earlier. */
const T0 = Date.UTC(2026, 5, 8, 12, 0, 0);
const BEFORE_24 = weftMigrations.filter((m) => m.version !== 24);

interface Backend {
  db: Kysely<WeftDatabase>;
  dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

const backends: Array<[string, boolean, () => Promise<Backend>]> = [
  [
    'SQLite',
    false,
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'weft-rollups-key-order-'));
      const storage = await createSqliteStorage({ filename: join(dir, 'weft.db'), migrations: BEFORE_24 });
      return {
        db: storage.db,
        dialect: 'sqlite',
        close: async () => {
          await storage.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ],
  [
    pg.title('Postgres'),
    pg.skip,
    async () => {
      const temp = await createTempDatabase(pg.url());
      const storage = await createPostgresStorage({ connectionString: temp.url, migrations: BEFORE_24 });
      return {
        db: storage.db,
        dialect: 'postgres',
        close: async () => {
          await storage.close();
          await temp.drop();
        },
      };
    },
  ],
];

/** A rollup row of `workflowId` at `bucketStart`, its count telling rows apart. */
function row(workflowId: string, bucketMs: number, bucketStart: number, count: number): RollupRow {
  return {
    workspaceId: 'ws',
    workflowId,
    nodeId: '',
    status: 'succeeded',
    bucketMs,
    bucketStart,
    count,
    sumMs: count * 10,
    minMs: 1,
    maxMs: 50,
    retries: 0,
    sketch: `s${count}`,
  };
}

/** Executions of 3 workflows over `days` days from `from`, 12 an hour, each workflow failing some. */
function records(from: number, days: number): RawRecord[] {
  return Array.from({ length: days * 24 * 12 }, (_, i) => ({
    workspaceId: 'ws',
    workflowId: `wf-${i % 3}`,
    nodeId: '',
    status: i % 10 === 0 ? 'failed' : 'succeeded',
    at: from + i * 300_000,
    durationMs: 3 + ((i * 29) % 300),
    retries: 0,
  }));
}

async function ingest(store: AnalyticsStore, input: readonly RawRecord[]): Promise<void> {
  const ingest = new AnalyticsIngest({ store, writerId: 'w0', flushIntervalMs: 3_600_000, now: () => T0 });
  for (const r of input) ingest.add(r);
  await ingest.close();
}

async function daily(store: AnalyticsStore, to: number): Promise<string[]> {
  const rows = await store.readRollups({ bucketMs: ONE_DAY, from: 0, to });
  return rows.map((r) => JSON.stringify({ ...r, sumMs: Math.round(r.sumMs * 1e6) / 1e6 })).sort();
}

describe.each(backends)('analytics rollups in key order on %s', (_name, skip, open) => {
  let backend: Backend;
  beforeAll(async () => {
    if (!skip) backend = await open();
  });
  afterAll(async () => {
    await backend?.close();
  });

  it.skipIf(skip)('migration 24 keeps every rollup row and stores them in key order', async () => {
    const { db, dialect } = backend;
    const store = new SqlAnalyticsStore({ db, dialect });
    // Written day by day, every workflow's row of a day together: each series scattered.
    const written: RollupRow[] = [];
    for (let d = 0; d < 5; d++) {
      const rows = ['wf-b', 'wf-a', 'wf-c'].map((w, k) =>
        row(w, ONE_DAY, T0 - (T0 % ONE_DAY) + d * ONE_DAY, d * 3 + k + 1),
      );
      const from = rows[0].bucketStart;
      await store.replaceBuckets('1d', ONE_DAY, from, from + ONE_DAY, rows);
      written.push(...rows);
    }
    await migrate(db, { dialect, migrations: weftMigrations });
    const read = await store.readRollups({ bucketMs: ONE_DAY, from: 0, to: T0 + 10 * ONE_DAY });
    const key = (r: RollupRow) => `${r.workflowId}/${r.bucketStart}`;
    expect(read.map(key).sort()).toEqual(written.map(key).sort());
    expect(new Map(read.map((r) => [key(r), r.count]))).toEqual(new Map(written.map((r) => [key(r), r.count])));
    const inKeyOrder = [...written].sort((a, b) => key(a).localeCompare(key(b))).map(key);
    if (dialect === 'sqlite') {
      const [table] = (await sql<{ wr: number }>`select wr from pragma_table_list('analytics_rollups')`.execute(db))
        .rows;
      expect(table?.wr).toBe(1);
    } else {
      // Rewritten by CLUSTER: the heap order (ctid) is the primary key's.
      const physical = await sql<{ workflow_id: string; bucket_start: string }>`
        select workflow_id, bucket_start from analytics_rollups order by ctid`.execute(db);
      expect(physical.rows.map((r) => `${r.workflow_id}/${r.bucket_start}`)).toEqual(inKeyOrder);
    }
  });

  it.skipIf(skip)(
    'the daily tier rewrites the week so far each day: the same rows as merging in process, a finished week written at once',
    async () => {
      const { db, dialect } = backend;
      const store = new SqlAnalyticsStore({ db, dialect });
      await migrate(db, { dialect, migrations: weftMigrations });
      for (const t of ['analytics_partials', 'analytics_rollups', 'analytics_watermarks'] as const)
        await db.deleteFrom(t).execute();
      const weekStart = Math.floor(T0 / WEEK) * WEEK;
      const input = records(weekStart - 2 * ONE_DAY, 11);
      const memory = new MemoryAnalyticsStore();
      await ingest(memory, input);
      await ingest(store, input);
      const retention = { rawMs: 3 * ONE_DAY };
      // The job runs once a day, a little after midnight, as it would every minute.
      const dailyWritten: number[] = [];
      for (let d = -1; d <= 9; d++) {
        const now = weekStart + d * ONE_DAY + 3 * ONE_HOUR;
        dailyWritten.push((await new Rollups({ store, retention }).run(now)).dailyRows);
        await new Rollups({ store: memory, retention }).run(now);
      }
      const end = weekStart + 9 * ONE_DAY;
      expect(await daily(store, end)).toEqual(await daily(memory, end));
      // 8 rows a day (3 workflows and the workspace, succeeded and failed): the run after day k of
      // a week writes k days' rows, the whole week after its last day, then a new week begins.
      expect(dailyWritten.slice(2, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 1].map((k) => 8 * k));
      if (dialect === 'postgres') {
        // Each daily row of the finished week was written by the same statement: one transaction.
        const writers = await sql<{ n: string }>`
          select count(distinct xmin::text) as n from analytics_rollups
          where bucket_ms = ${ONE_DAY} and bucket_start >= ${weekStart} and bucket_start < ${weekStart + WEEK}`.execute(
          db,
        );
        expect(Number(writers.rows[0]?.n)).toBe(1);
      }
    },
    120_000,
  );
});
