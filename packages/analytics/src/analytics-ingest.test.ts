import { type AnalyticsStore, type EngineEvent, MemoryAnalyticsStore, type PartialRollupRow } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { AnalyticsIngest } from './analytics-ingest.js';
import { QuantileSketch } from './quantile-sketch.js';
import { MemoryRealtimeCounters, RealtimeMetrics } from './realtime-metrics.js';

const AT = Date.UTC(2026, 5, 10, 12, 0, 30);
const base = (executionId: string, seq: number) => ({
  executionId,
  workspaceId: 'ws',
  workflowId: 'wf',
  seq,
  at: AT + seq,
});

function run(executionId: string, mode: 'manual' | 'test', ok: boolean, durationMs: number): EngineEvent[] {
  return [
    { ...base(executionId, 0), type: 'workflow:started', mode, resumed: false },
    {
      ...base(executionId, 1),
      type: 'node:executed',
      nodeId: 'n1',
      nodeName: 'N',
      runIndex: 0,
      status: 'success',
      durationMs: 3,
      attempts: 3,
      itemsIn: 1,
      itemsOut: {},
    } as EngineEvent,
    ok
      ? { ...base(executionId, 2), type: 'workflow:completed', durationMs, output: {} }
      : { ...base(executionId, 2), type: 'workflow:failed', durationMs, error: { message: 'x' } as never },
  ];
}

describe('AnalyticsIngest', () => {
  it('folds finished executions and node runs into 5-minute buckets, leaving test runs out', async () => {
    const store = new MemoryAnalyticsStore();
    const writes: number[] = [];
    const counting: AnalyticsStore = Object.assign(Object.create(null), {
      upsertPartials: async (r: readonly PartialRollupRow[]) => {
        writes.push(r.length);
        await store.upsertPartials(r);
      },
    });
    const ingest = new AnalyticsIngest({ store: counting, flushIntervalMs: 60_000, now: () => AT });
    for (const e of [
      ...run('e1', 'manual', true, 40),
      ...run('e2', 'test', true, 1),
      ...run('e3', 'manual', false, 90),
      ...run('e4', 'manual', true, 60),
    ])
      ingest.observe(e);
    expect(ingest.openBuckets).toBe(3);
    await ingest.flush();
    await ingest.flush();
    const rows = (await store.readPartials(0, AT + 10)).map((r) => [
      r.nodeId,
      r.status,
      r.bucketStart,
      r.count,
      r.sumMs,
      r.minMs,
      r.maxMs,
      r.retries,
      QuantileSketch.decode(r.sketch).count,
    ]);
    const bucket = AT - (AT % 300_000);
    expect(rows.sort()).toEqual(
      [
        ['n1', 'success', bucket, 3, 9, 3, 3, 6, 3],
        ['', 'succeeded', bucket, 2, 100, 40, 60, 0, 2],
        ['', 'failed', bucket, 1, 90, 90, 90, 0, 1],
      ].sort(),
    );
    expect(writes).toEqual([3]);
    ingest.observe(run('e5', 'manual', true, 10)[2]!);
    await ingest.close();
    expect(writes).toEqual([3, 1]);
    expect((await store.readPartials(0, AT + 10)).find((r) => r.status === 'succeeded')?.count).toBe(3);
  });

  it('closes a bucket after its grace: written once more, out of memory, later records counted as late', async () => {
    const store = new MemoryAnalyticsStore();
    let now = AT;
    const ingest = new AnalyticsIngest({ store, flushIntervalMs: 60_000, graceMs: 120_000, now: () => now });
    for (const e of run('e1', 'manual', true, 40)) ingest.observe(e);
    now = AT - (AT % 300_000) + 300_000 + 120_000;
    await ingest.flush();
    expect(ingest.openBuckets).toBe(0);
    for (const e of run('e2', 'manual', true, 50)) ingest.observe(e);
    expect(ingest.late).toBe(2);
    await ingest.close();
    expect((await store.readPartials(0, AT + 10)).map((r) => r.count)).toEqual([1, 1]);
  });

  it('keeps buckets while the store fails, writes them on a later flush, and drops beyond its bound', async () => {
    const store = new MemoryAnalyticsStore();
    let down = true;
    const flaky = {
      upsertPartials: (r: readonly PartialRollupRow[]) =>
        down ? Promise.reject(new Error('db down')) : store.upsertPartials(r),
    } as AnalyticsStore;
    const ingest = new AnalyticsIngest({ store: flaky, flushIntervalMs: 60_000, maxOpenBuckets: 2, now: () => AT });
    for (const e of [...run('e1', 'manual', true, 40), ...run('e2', 'manual', true, 50)]) ingest.observe(e);
    ingest.observe(run('e3', 'manual', false, 70)[2]!);
    await ingest.flush();
    expect((ingest.lastError as Error).message).toBe('db down');
    expect(ingest.dropped).toBe(1);
    expect(ingest.openBuckets).toBe(2);
    down = false;
    await ingest.close();
    expect((await store.readPartials(0, AT + 10)).map((r) => [r.nodeId, r.count, r.sumMs]).sort()).toEqual([
      ['', 2, 90],
      ['n1', 2, 6],
    ]);
  });

  it('feeds realtime windows: rate, error rate and p95 of the last minutes', async () => {
    const realtime = new RealtimeMetrics(new MemoryRealtimeCounters());
    const ingest = new AnalyticsIngest({ store: new MemoryAnalyticsStore(), realtime, flushIntervalMs: 60_000 });
    for (let i = 0; i < 20; i++) for (const e of run(`e${i}`, 'manual', i % 4 !== 0, 100 + i)) ingest.observe(e);
    await ingest.close();
    const [m1, m5] = await realtime.windows('ws', AT);
    expect(m1).toMatchObject({ minutes: 1, runs: 20, failed: 5, ratePerMinute: 20, errorRate: 0.25 });
    expect(Math.abs(m1!.p95Ms! - 118) / 118).toBeLessThanOrEqual(0.01);
    expect(m5).toMatchObject({ runs: 20, ratePerMinute: 4 });
    const [later] = await realtime.windows('ws', AT + 120_000);
    expect(later).toMatchObject({ runs: 0, errorRate: null, p95Ms: null });
  });
});
