import { randomUUID } from 'node:crypto';
import type { AnalyticsStore, RawRecord, RollupRow } from '@weft/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** Creates a store for one test on storage no other test writes to. */
export type AnalyticsStoreFactory = () => Promise<{ store: AnalyticsStore; cleanup?: () => Promise<void> }>;

/**
 * The contract every analytics store must meet: raw records are read back by time range
 * unchanged; `replaceBuckets` swaps a tier's bucket range and moves the watermark together, and
 * a replace that fails changes neither; replaying it gives the same rows; rollup reads filter by
 * tier, time, workspace, workflow and node; `prune` removes only what is older than each cutoff.
 *
 * @example
 * ```ts
 * describeAnalyticsStoreConformance('memory', async () => ({ store: new MemoryAnalyticsStore() }));
 * ```
 */
export function describeAnalyticsStoreConformance(name: string, factory: AnalyticsStoreFactory): void {
  describe(`AnalyticsStore conformance: ${name}`, () => {
    let store: AnalyticsStore;
    let cleanup: (() => Promise<void>) | undefined;
    let ws: string;
    beforeEach(async () => {
      ({ store, cleanup } = await factory());
      ws = `ws-${randomUUID()}`;
    });
    afterEach(async () => {
      await cleanup?.();
    });

    const T0 = 1_700_000_100_000 - (1_700_000_100_000 % 3_600_000);
    const raw = (n: number, over: Partial<RawRecord> = {}): RawRecord => ({
      workspaceId: ws,
      workflowId: 'wf-a',
      nodeId: '',
      status: 'succeeded',
      at: T0 + n * 1000,
      durationMs: 10.5 + n,
      retries: 0,
      ...over,
    });
    const rollup = (bucketStart: number, over: Partial<RollupRow> = {}): RollupRow => ({
      workspaceId: ws,
      workflowId: 'wf-a',
      nodeId: '',
      status: 'succeeded',
      bucketMs: 300_000,
      bucketStart,
      count: 3,
      sumMs: 31.5,
      minMs: 0.25,
      maxMs: 20,
      retries: 2,
      sketch: 'AQ-sketch',
      ...over,
    });
    const sort = <T extends { at?: number; bucketStart?: number; status: string; nodeId: string }>(xs: T[]) =>
      [...xs].sort(
        (a, b) =>
          (a.at ?? a.bucketStart ?? 0) - (b.at ?? b.bucketStart ?? 0) ||
          a.nodeId.localeCompare(b.nodeId) ||
          a.status.localeCompare(b.status),
      );

    it('reads raw records back by half-open time range, unchanged', async () => {
      const records = [raw(0), raw(1, { nodeId: 'n1', status: 'error', retries: 2 }), raw(299), raw(300)];
      await store.appendRaw(records);
      await store.appendRaw([]);
      const got = (await store.readRaw(T0, T0 + 300_000)).filter((r) => r.workspaceId === ws);
      expect(sort(got)).toEqual(sort(records.slice(0, 3)));
    });

    it('replaces a bucket range and its watermark together; a replay gives the same rows', async () => {
      const rows = [rollup(T0), rollup(T0, { status: 'failed', count: 1 }), rollup(T0 + 300_000, { nodeId: 'n1' })];
      await store.replaceBuckets('5m', 300_000, T0, T0 + 600_000, rows);
      expect(await store.watermark('5m')).toBe(T0 + 600_000);
      const read = () => store.readRollups({ bucketMs: 300_000, from: T0, to: T0 + 600_000, workspaceId: ws });
      expect(sort(await read())).toEqual(sort(rows));
      await store.replaceBuckets('5m', 300_000, T0, T0 + 600_000, rows);
      expect(sort(await read())).toEqual(sort(rows));
      await store.replaceBuckets('5m', 300_000, T0, T0 + 300_000, [rollup(T0, { count: 9 })]);
      expect(sort(await read()).map((r) => [r.bucketStart, r.status, r.count])).toEqual([
        [T0, 'succeeded', 9],
        [T0 + 300_000, 'succeeded', 3],
      ]);
      expect(await store.watermark('5m')).toBe(T0 + 300_000);
    });

    it('leaves rows and watermark as they were when a replace fails part-way', async () => {
      await store.replaceBuckets('5m', 300_000, T0, T0 + 300_000, [rollup(T0)]);
      const broken = [rollup(T0, { count: 7 }), rollup(T0, { status: 'failed', sketch: null as unknown as string })];
      await expect(store.replaceBuckets('5m', 300_000, T0, T0 + 600_000, broken)).rejects.toThrow();
      expect(await store.watermark('5m')).toBe(T0 + 300_000);
      const rows = await store.readRollups({ bucketMs: 300_000, from: T0, to: T0 + 600_000, workspaceId: ws });
      expect(rows.map((r) => r.count)).toEqual([3]);
    });

    it('filters rollups by tier, time, workspace, workflow and node', async () => {
      await store.replaceBuckets('5m', 300_000, T0, T0 + 600_000, [
        rollup(T0),
        rollup(T0, { workflowId: '' }),
        rollup(T0, { nodeId: 'n1' }),
        rollup(T0 + 300_000, { workflowId: 'wf-b' }),
        rollup(T0, { workspaceId: `${ws}-other` }),
      ]);
      await store.replaceBuckets('1h', 3_600_000, T0, T0 + 3_600_000, [rollup(T0, { bucketMs: 3_600_000 })]);
      const q = { bucketMs: 300_000, from: T0, to: T0 + 600_000, workspaceId: ws };
      expect(await store.readRollups(q)).toHaveLength(4);
      expect(await store.readRollups({ ...q, workflowId: 'wf-a', nodeId: '' })).toHaveLength(1);
      expect((await store.readRollups({ ...q, workflowId: '' }))[0]!.workflowId).toBe('');
      expect(await store.readRollups({ ...q, workflowId: 'wf-a', nodeId: 'n1' })).toHaveLength(1);
      expect(await store.readRollups({ ...q, to: T0 + 300_000 })).toHaveLength(3);
      expect(await store.readRollups({ ...q, bucketMs: 3_600_000, to: T0 + 3_600_000 })).toHaveLength(1);
      expect(await store.readRollups({ ...q, workspaceId: `${ws}-none` })).toEqual([]);
    });

    it('prunes only what is older than each cutoff', async () => {
      await store.appendRaw([raw(0), raw(10)]);
      await store.replaceBuckets('5m', 300_000, T0, T0 + 600_000, [rollup(T0), rollup(T0 + 300_000)]);
      await store.replaceBuckets('1h', 3_600_000, T0, T0 + 3_600_000, [rollup(T0, { bucketMs: 3_600_000 })]);
      await store.prune(T0 + 5000, new Map([[300_000, T0 + 300_000]]));
      expect((await store.readRaw(T0, T0 + 60_000)).filter((r) => r.workspaceId === ws).map((r) => r.at)).toEqual([
        T0 + 10_000,
      ]);
      const five = await store.readRollups({ bucketMs: 300_000, from: T0, to: T0 + 600_000, workspaceId: ws });
      expect(five.map((r) => r.bucketStart)).toEqual([T0 + 300_000]);
      expect(
        await store.readRollups({ bucketMs: 3_600_000, from: T0, to: T0 + 3_600_000, workspaceId: ws }),
      ).toHaveLength(1);
    });
  });
}
