import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AnalyticsIngest,
  FIVE_MINUTES,
  type InPlaceRollupStore,
  isInPlaceRollupStore,
  ONE_DAY,
  ONE_HOUR,
  Rollups,
} from '@weft/analytics';
import { type AnalyticsStore, MemoryAnalyticsStore, type RawRecord } from '@weft/engine';
import { createPostgresStorage } from '@weft/postgres';
import { SqlAnalyticsStore, type WeftDatabase } from '@weft/sql';
import { createSqliteStorage } from '@weft/sqlite';
import { serviceUrl } from '@weft/testing';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../testing/postgres-database.js';

const pg = await serviceUrl('pg');
const NOW = Date.UTC(2026, 5, 10, 12, 0, 0);

/** Executions and node runs of 3 workflows in 2 workspaces over `spanMs`, some failed, some retried. */
function records(count: number, from: number, spanMs: number): RawRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    workspaceId: i % 5 === 0 ? 'ws-b' : 'ws-a',
    workflowId: `wf-${i % 3}`,
    nodeId: i % 4 === 0 ? 'n1' : '',
    status: i % 7 === 0 ? 'failed' : 'succeeded',
    at: from + Math.floor((i * spanMs) / count),
    durationMs: 5 + ((i * 37) % 400),
    retries: i % 4 === 0 ? i % 2 : 0,
  }));
}

/** Folds `input` into partial buckets as ingest processes would: `writers` of them, records dealt round-robin. */
async function ingest(store: AnalyticsStore, input: readonly RawRecord[], writers = 1): Promise<void> {
  for (let w = 0; w < writers; w++) {
    const ingest = new AnalyticsIngest({ store, writerId: `w${w}`, flushIntervalMs: 3_600_000, now: () => NOW });
    for (const [i, r] of input.entries()) if (i % writers === w) ingest.add(r);
    await ingest.close();
  }
}

/** Every rollup row of every tier, sums rounded (a merge may add in another order), sorted. */
async function allRollups(store: AnalyticsStore): Promise<string[]> {
  const rows = [];
  for (const bucketMs of [FIVE_MINUTES, ONE_HOUR, ONE_DAY])
    rows.push(...(await store.readRollups({ bucketMs, from: 0, to: NOW + ONE_DAY })));
  return rows.map((r) => JSON.stringify({ ...r, sumMs: Math.round(r.sumMs * 1e6) / 1e6 })).sort();
}

/** The rollups the in-memory store (merging every row in process) gives for the same input. */
async function expected(input: readonly RawRecord[], writers: number): Promise<string[]> {
  const memory = new MemoryAnalyticsStore();
  await ingest(memory, input, writers);
  await new Rollups({ store: memory }).run(NOW);
  return allRollups(memory);
}

interface Backend {
  store: SqlAnalyticsStore;
  /** Empties the partials, rollups and watermarks. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

function backendOf(db: Kysely<WeftDatabase>, dialect: 'sqlite' | 'postgres', close: () => Promise<void>): Backend {
  return {
    store: new SqlAnalyticsStore({ db, dialect }),
    reset: async () => {
      for (const t of ['analytics_partials', 'analytics_rollups', 'analytics_watermarks'] as const)
        await db.deleteFrom(t).execute();
    },
    close,
  };
}

const backends: Array<[string, boolean, () => Promise<Backend>]> = [
  [
    'SQLite',
    false,
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'weft-sql-rollups-'));
      const storage = await createSqliteStorage({ filename: join(dir, 'weft.db') });
      return backendOf(storage.db, 'sqlite', async () => {
        await storage.close();
        rmSync(dir, { recursive: true, force: true });
      });
    },
  ],
  [
    pg.title('Postgres'),
    pg.skip,
    async () => {
      const db = await createTempDatabase(pg.url());
      const storage = await createPostgresStorage({ connectionString: db.url });
      return backendOf(storage.db, 'postgres', async () => {
        await storage.close();
        await db.drop();
      });
    },
  ],
];

describe.each(backends)('set-based rollups on %s', (_name, skip, open) => {
  let backend: Backend;
  beforeAll(async () => {
    if (!skip) backend = await open();
  });
  afterAll(async () => {
    await backend?.close();
  });

  it.skipIf(skip)(
    'gives the rows merging everything in process gives, with one and with three ingest writers',
    async () => {
      const { store } = backend;
      expect(isInPlaceRollupStore(store)).toBe(true);
      for (const writers of [1, 3]) {
        const input = records(1200, NOW - 2 * ONE_DAY - 3 * ONE_HOUR, ONE_DAY + 5 * ONE_HOUR);
        await backend.reset();
        await ingest(store, input, writers);
        await new Rollups({ store }).run(NOW);
        const want = await expected(input, writers);
        expect(want.length).toBeGreaterThan(100);
        expect(await allRollups(store)).toEqual(want);
        await new Rollups({ store }).run(NOW);
        expect(await allRollups(store)).toEqual(want);
      }
    },
  );

  it.skipIf(skip)(
    'catching up builds whole hours from the partials in the 5-minute step: no hourly step reads 5-minute rows back',
    async () => {
      const { store } = backend;
      const input = records(1500, NOW - 3 * ONE_DAY, 2 * ONE_DAY + 7 * ONE_HOUR);
      const want = await expected(input, 2);
      await backend.reset();
      await ingest(store, input, 2);
      const steps: Array<{ tier: string; from: number }> = [];
      const watching = withRollUpInPlace(store, async (step, merge) => {
        const n = await store.rollUpInPlace(step, merge);
        if (n !== undefined) steps.push({ tier: step.tier, from: step.from });
        return n;
      });
      const result = await new Rollups({ store: watching }).run(NOW);
      expect(await allRollups(store)).toEqual(want);
      // The runs end 17 hours before NOW: every hour with runs came with the 5-minute steps, and the
      // hourly steps only cover the empty hours after them (the last 5-minute step is not whole hours).
      const hourly = steps.filter((x) => x.tier === '1h');
      expect(hourly.length).toBeLessThanOrEqual(1);
      for (const x of hourly) expect(x.from).toBeGreaterThanOrEqual(NOW - 17 * ONE_HOUR);
      expect(await store.watermark('1h')).toBe(NOW - ONE_HOUR);
      expect(result.hourlyRows).toBe(want.filter((r) => JSON.parse(r).bucketMs === ONE_HOUR).length);
      // With the hourly watermark behind (a tier not caught up), the 5-minute step leaves it alone.
      await backend.reset();
      await ingest(store, input, 2);
      await store.replaceBuckets('1h', ONE_HOUR, NOW - 40 * ONE_DAY, NOW - 39 * ONE_DAY, []);
      await new Rollups({ store }).run(NOW);
      expect(await allRollups(store)).toEqual(want);
    },
  );

  it.skipIf(skip)(
    'days without rows cost no step: a backlog takes a step per chunk with rows, the one after them and the last',
    async () => {
      const { store } = backend;
      // Two hours of runs five days ago, then nothing: 115 hours of 5-minute chunks with no rows.
      const input = records(300, NOW - 5 * ONE_DAY, 2 * ONE_HOUR);
      const want = await expected(input, 1);
      await backend.reset();
      await ingest(store, input, 1);
      const steps: string[] = [];
      const watching = withRollUpInPlace(store, (step, merge) => {
        steps.push(step.tier);
        return store.rollUpInPlace(step, merge);
      });
      await new Rollups({ store: watching }).run(NOW);
      expect(await allRollups(store)).toEqual(want);
      expect(await store.watermark('5m')).toBe(NOW - 5 * 60_000);
      // Hours H and H+1, H+2 (found empty, then a skip to the last hour), and the last (115 without skips).
      expect(steps.filter((t) => t === '5m')).toHaveLength(4);
      expect(steps.length).toBeLessThanOrEqual(8);
    },
  );

  it.skipIf(skip)(
    'a process dying inside a step leaves that step undone, and the rerun gives the same rows',
    async () => {
      const { store } = backend;
      const input = records(900, NOW - 2 * ONE_DAY, ONE_DAY + 5 * ONE_HOUR);
      const want = await expected(input, 2);
      for (const n of [1, 5, 26]) {
        await backend.reset();
        await ingest(store, input, 2);
        // Dies in the n-th step after the database copied its single-source keys, before the watermark.
        let steps = 0;
        const dying = withRollUpInPlace(store, (step, merge) =>
          store.rollUpInPlace(step, (several, executions) => {
            if (++steps === n) throw new Error('killed');
            return merge(several, executions);
          }),
        );
        await expect(new Rollups({ store: dying }).run(NOW)).rejects.toThrow('killed');
        if (n === 1) expect(await store.watermark('5m')).toBeUndefined();
        await new Rollups({ store }).run(NOW);
        expect(await allRollups(store)).toEqual(want);
      }
    },
  );
});

/** `store` with its `rollUpInPlace` replaced: how the tests watch or kill a step. */
function withRollUpInPlace(
  store: InPlaceRollupStore,
  rollUpInPlace: InPlaceRollupStore['rollUpInPlace'],
): InPlaceRollupStore {
  return {
    upsertPartials: (r) => store.upsertPartials(r),
    readPartials: (a, b) => store.readPartials(a, b),
    readRollups: (q) => store.readRollups(q),
    watermark: (t) => store.watermark(t),
    prune: (a, b) => store.prune(a, b),
    replaceBuckets: (...args) => store.replaceBuckets(...args),
    firstSourceBucket: (...args) => store.firstSourceBucket(...args),
    rollUpInPlace,
  };
}
