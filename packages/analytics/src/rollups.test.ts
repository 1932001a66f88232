import { type AnalyticsStore, MemoryAnalyticsStore, type RawRecord } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { AnalyticsIngest } from './analytics-ingest.js';
import { historicalSeries } from './historical.js';
import { QuantileSketch } from './quantile-sketch.js';
import { FIVE_MINUTES, ONE_HOUR, Rollups } from './rollups.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 10, 12, 0, 0);

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

/** Folds records into partial buckets as one ingest process (`writerId`) would, and writes them. */
async function ingest(store: AnalyticsStore, input: readonly RawRecord[], writerId = 'w1'): Promise<void> {
  const ingest = new AnalyticsIngest({ store, writerId, flushIntervalMs: 3_600_000 });
  for (const r of input) ingest.add(r);
  await ingest.close();
}

async function allRollups(store: AnalyticsStore) {
  const rows = [
    ...(await store.readRollups({ bucketMs: FIVE_MINUTES, from: 0, to: NOW })),
    ...(await store.readRollups({ bucketMs: ONE_HOUR, from: 0, to: NOW })),
  ];
  return rows.map((r) => JSON.stringify(r)).sort();
}

/** Fails the n-th replaceBuckets, like a process killed in the middle of a rollup. */
function crashingAt(store: AnalyticsStore, n: number): AnalyticsStore {
  let calls = 0;
  return {
    upsertPartials: (r) => store.upsertPartials(r),
    readPartials: (a, b) => store.readPartials(a, b),
    readRollups: (q) => store.readRollups(q),
    watermark: (t) => store.watermark(t),
    prune: (a, b) => store.prune(a, b),
    replaceBuckets: (...args) => (++calls === n ? Promise.reject(new Error('killed')) : store.replaceBuckets(...args)),
  };
}

describe('Rollups', () => {
  it('counts, sums, min/max, retries and sketches per workspace x workflow x node x status, plus workspace-wide rows', async () => {
    const store = new MemoryAnalyticsStore();
    const input = records(600, NOW - 3 * ONE_HOUR, 2 * ONE_HOUR);
    await ingest(store, input);
    await new Rollups({ store }).run(NOW);
    const execs = input.filter((r) => r.workspaceId === 'ws-a' && r.workflowId === 'wf-1' && r.nodeId === '');
    const rows = await store.readRollups({
      bucketMs: ONE_HOUR,
      from: 0,
      to: NOW,
      workspaceId: 'ws-a',
      workflowId: 'wf-1',
      nodeId: '',
    });
    expect(rows.reduce((s, r) => s + r.count, 0)).toBe(execs.length);
    expect(rows.reduce((s, r) => s + r.sumMs, 0)).toBe(execs.reduce((s, r) => s + r.durationMs, 0));
    expect(Math.min(...rows.map((r) => r.minMs))).toBe(Math.min(...execs.map((r) => r.durationMs)));
    const merged = new QuantileSketch();
    for (const r of rows) merged.merge(QuantileSketch.decode(r.sketch));
    const sorted = execs.map((r) => r.durationMs).sort((a, b) => a - b);
    const exact = sorted[Math.floor(0.95 * (sorted.length - 1))]!;
    expect(Math.abs(merged.quantile(0.95)! - exact) / exact).toBeLessThanOrEqual(0.01);
    const wide = await store.readRollups({
      bucketMs: ONE_HOUR,
      from: 0,
      to: NOW,
      workspaceId: 'ws-a',
      workflowId: '',
      nodeId: '',
    });
    expect(wide.reduce((s, r) => s + r.count, 0)).toBe(
      input.filter((r) => r.workspaceId === 'ws-a' && r.nodeId === '').length,
    );
    const nodes = await store.readRollups({
      bucketMs: FIVE_MINUTES,
      from: 0,
      to: NOW,
      workspaceId: 'ws-a',
      nodeId: 'n1',
    });
    expect(nodes.reduce((s, r) => s + r.retries, 0)).toBe(
      input.filter((r) => r.workspaceId === 'ws-a' && r.nodeId === 'n1').reduce((s, r) => s + r.retries, 0),
    );
  });

  it('merges the partial buckets of several ingest processes into the same rows one process gives', async () => {
    const input = records(500, NOW - 2 * ONE_HOUR, ONE_HOUR);
    const one = new MemoryAnalyticsStore();
    await ingest(one, input);
    await new Rollups({ store: one }).run(NOW);
    const three = new MemoryAnalyticsStore();
    for (let w = 0; w < 3; w++)
      await ingest(
        three,
        input.filter((_, i) => Math.floor(i / 7) % 3 === w),
        `w${w}`,
      );
    expect((await three.readPartials(0, NOW)).length).toBeGreaterThan((await one.readPartials(0, NOW)).length);
    await new Rollups({ store: three }).run(NOW);
    const counts = async (store: AnalyticsStore) =>
      (await store.readRollups({ bucketMs: FIVE_MINUTES, from: 0, to: NOW }))
        .map((r) => {
          const s = QuantileSketch.decode(r.sketch);
          return `${r.workspaceId}/${r.workflowId}/${r.nodeId}/${r.status}/${r.bucketStart}: ${r.count} ${r.sumMs} ${r.minMs} ${r.maxMs} ${r.retries} ${s.count} ${s.quantile(0.5)}`;
        })
        .sort();
    expect(await counts(three)).toEqual(await counts(one));
  });

  it('gives the same rows when run again, and after a crash mid-way followed by a rerun', async () => {
    const input = records(900, NOW - 2 * DAY, DAY + 5 * ONE_HOUR);
    const clean = new MemoryAnalyticsStore();
    await ingest(clean, input);
    await new Rollups({ store: clean }).run(NOW);
    const expected = await allRollups(clean);
    await new Rollups({ store: clean }).run(NOW);
    expect(await allRollups(clean)).toEqual(expected);

    for (const n of [1, 7, 30]) {
      const store = new MemoryAnalyticsStore();
      await ingest(store, input);
      await expect(new Rollups({ store: crashingAt(store, n) }).run(NOW)).rejects.toThrow('killed');
      await new Rollups({ store }).run(NOW);
      expect(await allRollups(store)).toEqual(expected);
    }
  });

  it('waits out the grace period and prunes each tier after its retention, never before it is rolled up', async () => {
    const store = new MemoryAnalyticsStore();
    await ingest(store, [...records(10, NOW - 9 * DAY, ONE_HOUR), ...records(10, NOW - 60_000, 30_000)]);
    const rollups = new Rollups({ store, graceMs: 120_000 });
    await rollups.run(NOW);
    expect(await store.watermark('5m')).toBe(NOW - FIVE_MINUTES);
    expect(await store.readPartials(0, NOW - 7 * DAY)).toEqual([]);
    expect((await store.readPartials(NOW - FIVE_MINUTES, NOW)).reduce((s, r) => s + r.count, 0)).toBe(10);
    await rollups.run(NOW + 5 * FIVE_MINUTES);
    const recent = await store.readRollups({ bucketMs: FIVE_MINUTES, from: NOW - FIVE_MINUTES, to: NOW + ONE_HOUR });
    expect(recent.filter((r) => r.workflowId !== '').reduce((s, r) => s + r.count, 0)).toBe(10);
  });

  it('completes series with what is not rolled up yet: 5-minute rows past the hourly watermark, partial buckets past the 5-minute one', async () => {
    const store = new MemoryAnalyticsStore();
    const old = records(300, NOW - 5 * ONE_HOUR, 2 * ONE_HOUR);
    await ingest(store, old);
    await new Rollups({ store }).run(NOW - 2 * ONE_HOUR + 30 * 60_000);
    const recent = records(200, NOW - ONE_HOUR, ONE_HOUR - 60_000);
    await ingest(store, recent, 'w2');
    const q = { workspaceId: 'ws-a', metric: 'runs' as const, from: NOW - 6 * ONE_HOUR, to: NOW, stepMs: ONE_HOUR };
    const all = [...old, ...recent].filter((r) => r.workspaceId === 'ws-a' && r.nodeId === '');
    const sum = (s: { points: { value: number | null }[] }) => s.points.reduce((n, p) => n + (p.value ?? 0), 0);
    expect(sum(await historicalSeries(store, q, NOW))).toBe(all.length);
    expect(sum(await historicalSeries(store, { ...q, workflowId: 'wf-2' }, NOW))).toBe(
      all.filter((r) => r.workflowId === 'wf-2').length,
    );
    const fine = await historicalSeries(store, { ...q, from: NOW - ONE_HOUR, stepMs: FIVE_MINUTES }, NOW);
    expect(sum(fine)).toBe(recent.filter((r) => r.workspaceId === 'ws-a' && r.nodeId === '').length);
  });

  it('feeds historical series from the right tier', async () => {
    const store = new MemoryAnalyticsStore();
    const input = records(700, NOW - 3 * DAY, 2 * DAY);
    await ingest(store, input);
    await new Rollups({ store }).run(NOW);
    const day = await historicalSeries(
      store,
      { workspaceId: 'ws-a', metric: 'runs', from: NOW - 3 * DAY, to: NOW, stepMs: DAY },
      NOW,
    );
    expect(day.bucketMs).toBe(ONE_HOUR);
    expect(day.points.reduce((s, p) => s + (p.value ?? 0), 0)).toBe(
      input.filter((r) => r.workspaceId === 'ws-a' && r.nodeId === '').length,
    );
    const daily = await store.readRollups({
      bucketMs: DAY,
      from: 0,
      to: NOW,
      workspaceId: 'ws-a',
      workflowId: '',
      nodeId: '',
    });
    const hourly = await store.readRollups({
      bucketMs: ONE_HOUR,
      from: 0,
      to: (await store.watermark('1d'))!,
      workspaceId: 'ws-a',
      workflowId: '',
      nodeId: '',
    });
    expect(daily.length).toBeGreaterThan(0);
    expect(daily.reduce((s, r) => s + r.count, 0)).toBe(hourly.reduce((s, r) => s + r.count, 0));
    const hours = await historicalSeries(
      store,
      { workspaceId: 'ws-a', metric: 'runs', from: NOW - 3 * DAY, to: NOW, stepMs: ONE_HOUR },
      NOW,
    );
    const perDay = (points: { t: number; value: number | null }[]) => {
      const days = new Map<number, number>();
      for (const p of points) days.set(Math.floor(p.t / DAY), (days.get(Math.floor(p.t / DAY)) ?? 0) + (p.value ?? 0));
      return [...days.entries()].filter(([, v]) => v > 0);
    };
    expect(perDay(day.points)).toEqual(perDay(hours.points));
    const fine = await historicalSeries(
      store,
      {
        workspaceId: 'ws-a',
        workflowId: 'wf-0',
        metric: 'errorRate',
        from: NOW - 3 * DAY,
        to: NOW - 2 * DAY,
        stepMs: FIVE_MINUTES * 3,
      },
      NOW,
    );
    expect(fine.bucketMs).toBe(FIVE_MINUTES);
    expect(fine.points).toHaveLength(96);
    expect(fine.points.some((p) => p.value !== null && p.value > 0)).toBe(true);
    await expect(
      historicalSeries(store, { workspaceId: 'ws-a', metric: 'runs', from: NOW - DAY, to: NOW, stepMs: 1000 }, NOW),
    ).rejects.toMatchObject({ field: 'step' });
    await expect(
      historicalSeries(
        store,
        { workspaceId: 'ws-a', metric: 'runs', from: NOW - 40 * DAY, to: NOW, stepMs: FIVE_MINUTES },
        NOW,
      ),
    ).rejects.toMatchObject({ field: 'step' });
  });
});
