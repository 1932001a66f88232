import { type AnalyticsStore, type EngineEvent, MemoryAnalyticsStore, type RawRecord } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { AnalyticsIngest } from './analytics-ingest.js';
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
  it('records finished executions and node runs in batches, leaving test runs out', async () => {
    const store = new MemoryAnalyticsStore();
    const writes: number[] = [];
    const counting: AnalyticsStore = Object.assign(Object.create(null), {
      appendRaw: async (r: readonly RawRecord[]) => {
        writes.push(r.length);
        await store.appendRaw(r);
      },
    });
    const ingest = new AnalyticsIngest({ store: counting, batchSize: 4, flushIntervalMs: 60_000 });
    for (const e of [
      ...run('e1', 'manual', true, 40),
      ...run('e2', 'test', true, 1),
      ...run('e3', 'manual', false, 90),
    ])
      ingest.observe(e);
    await ingest.close();
    const rows = await store.readRaw(0, AT + 10);
    expect(rows.map((r) => [r.nodeId, r.status, r.durationMs, r.retries])).toEqual([
      ['n1', 'success', 3, 2],
      ['', 'succeeded', 40, 0],
      ['n1', 'success', 3, 2],
      ['', 'failed', 90, 0],
    ]);
    expect(writes).toEqual([4]);
  });

  it('keeps records while the store fails and writes them on a later flush', async () => {
    const store = new MemoryAnalyticsStore();
    let down = true;
    const flaky = {
      appendRaw: (r: readonly RawRecord[]) => (down ? Promise.reject(new Error('db down')) : store.appendRaw(r)),
    } as AnalyticsStore;
    const ingest = new AnalyticsIngest({ store: flaky, flushIntervalMs: 60_000, maxBuffered: 2 });
    for (const e of [...run('e1', 'manual', true, 40), ...run('e2', 'manual', true, 50)]) ingest.observe(e);
    await ingest.flush();
    expect((ingest.lastError as Error).message).toBe('db down');
    expect(ingest.dropped).toBe(2);
    down = false;
    await ingest.close();
    expect((await store.readRaw(0, AT + 10)).map((r) => r.durationMs)).toEqual([3, 50]);
  });

  it('feeds realtime windows: rate, error rate and p95 of the last minutes', async () => {
    const realtime = new RealtimeMetrics(new MemoryRealtimeCounters());
    const ingest = new AnalyticsIngest({ store: new MemoryAnalyticsStore(), realtime, flushIntervalMs: 60_000 });
    for (let i = 0; i < 20; i++) for (const e of run(`e${i}`, 'manual', i % 4 !== 0, 100 + i)) ingest.observe(e);
    await ingest.close();
    await new Promise((r) => setTimeout(r, 0));
    const [m1, m5] = await realtime.windows('ws', AT);
    expect(m1).toMatchObject({ minutes: 1, runs: 20, failed: 5, ratePerMinute: 20, errorRate: 0.25 });
    expect(Math.abs(m1!.p95Ms! - 118) / 118).toBeLessThanOrEqual(0.01);
    expect(m5).toMatchObject({ runs: 20, ratePerMinute: 4 });
    const [later] = await realtime.windows('ws', AT + 120_000);
    expect(later).toMatchObject({ runs: 0, errorRate: null, p95Ms: null });
  });
});
