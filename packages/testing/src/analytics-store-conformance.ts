import { randomUUID } from 'node:crypto';
import type { AnalyticsStore, PartialRollupRow, RollupRow } from '@weft/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** Creates a store for one test on storage no other test writes to. */
export type AnalyticsStoreFactory = () => Promise<{ store: AnalyticsStore; cleanup?: () => Promise<void> }>;

/**
 * The contract every analytics store must meet: partial buckets are read back by bucket start
 * unchanged, a writer's row for a key is replaced by its next write while other writers' rows stay; `replaceBuckets` swaps a tier's bucket range and moves the watermark together, and
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
    const partial = (bucket: number, over: Partial<PartialRollupRow> = {}): PartialRollupRow => ({
      writerId: 'writer-1',
      workspaceId: ws,
      workflowId: 'wf-a',
      nodeId: '',
      status: 'succeeded',
      bucketMs: 300_000,
      bucketStart: T0 + bucket * 300_000,
      count: 2,
      sumMs: 21.5,
      minMs: 10.5,
      maxMs: 11,
      retries: 1,
      sketch: 'AQ-partial',
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
    const sort = <T extends { bucketStart: number; status: string; nodeId: string; writerId?: string }>(xs: T[]) =>
      [...xs].sort(
        (a, b) =>
          a.bucketStart - b.bucketStart ||
          a.nodeId.localeCompare(b.nodeId) ||
          a.status.localeCompare(b.status) ||
          (a.writerId ?? '').localeCompare(b.writerId ?? ''),
      );

    it('reads partial buckets back by half-open range of bucket start, each writer keeping its own row', async () => {
      const rows = [partial(0), partial(0, { nodeId: 'n1', status: 'error', retries: 2 }), partial(1)];
      await store.upsertPartials(rows);
      await store.upsertPartials([]);
      const read = async () =>
        sort((await store.readPartials(T0, T0 + 300_000)).filter((r) => r.workspaceId === ws)).map(
          (r) => `${r.writerId}/${r.nodeId}/${r.count}/${r.sketch}`,
        );
      expect(sort((await store.readPartials(T0, T0 + 600_000)).filter((r) => r.workspaceId === ws))).toEqual(
        sort(rows),
      );
      await store.upsertPartials([partial(0, { count: 5, sketch: 'AQ-later' }), partial(0, { writerId: 'writer-2' })]);
      expect(await read()).toEqual(['writer-1//5/AQ-later', 'writer-2//2/AQ-partial', 'writer-1/n1/2/AQ-partial']);
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
      await store.upsertPartials([partial(0), partial(1)]);
      await store.replaceBuckets('5m', 300_000, T0, T0 + 600_000, [rollup(T0), rollup(T0 + 300_000)]);
      await store.replaceBuckets('1h', 3_600_000, T0, T0 + 3_600_000, [rollup(T0, { bucketMs: 3_600_000 })]);
      await store.prune(T0 + 5000, new Map([[300_000, T0 + 300_000]]));
      expect(
        (await store.readPartials(T0, T0 + 600_000)).filter((r) => r.workspaceId === ws).map((r) => r.bucketStart),
      ).toEqual([T0 + 300_000]);
      const five = await store.readRollups({ bucketMs: 300_000, from: T0, to: T0 + 600_000, workspaceId: ws });
      expect(five.map((r) => r.bucketStart)).toEqual([T0 + 300_000]);
      expect(
        await store.readRollups({ bucketMs: 3_600_000, from: T0, to: T0 + 3_600_000, workspaceId: ws }),
      ).toHaveLength(1);
    });
  });
}
