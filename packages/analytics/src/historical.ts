import type { AnalyticsStore, RollupRow } from '@weft/engine';
import { freshRollups, tierWatermarks } from './fresh-rollups.js';
import { QuantileSketch } from './quantile-sketch.js';
import { FIVE_MINUTES, ONE_DAY, ONE_HOUR } from './rollups.js';

/** Metrics a series can show. Durations are of executions (or of node runs with `nodeId`). */
export const ANALYTICS_METRICS = [
  'runs',
  'succeeded',
  'failed',
  'errorRate',
  'avgMs',
  'p50Ms',
  'p95Ms',
  'p99Ms',
  'retries',
] as const;
export type AnalyticsMetric = (typeof ANALYTICS_METRICS)[number];

/** A bad query, naming the field at fault. */
export class AnalyticsQueryError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'AnalyticsQueryError';
  }
}

/** Counts, durations and retries of a set of rollup rows. */
export interface RollupTotals {
  runs: number;
  succeeded: number;
  failed: number;
  sumMs: number;
  retries: number;
  sketch: QuantileSketch;
}

/**
 * Adds up rollup rows: status `succeeded` counts as success, `failed` and `error` as failure.
 * Sketches are merged unless `withSketches` is false (then `sketch` stays empty).
 *
 * @example
 * ```ts
 * const t = totals(await store.readRollups({ bucketMs: 3_600_000, from, to, workspaceId, workflowId: 'wf', nodeId: '' }));
 * t.sketch.quantile(0.95);
 * ```
 */
export function totals(rows: readonly RollupRow[], withSketches = true): RollupTotals {
  const t: RollupTotals = { runs: 0, succeeded: 0, failed: 0, sumMs: 0, retries: 0, sketch: new QuantileSketch() };
  for (const r of rows) {
    t.runs += r.count;
    if (r.status === 'succeeded') t.succeeded += r.count;
    else if (r.status === 'failed' || r.status === 'error') t.failed += r.count;
    t.sumMs += r.sumMs;
    t.retries += r.retries;
    if (withSketches) t.sketch.merge(QuantileSketch.decode(r.sketch));
  }
  return t;
}

function metricValue(metric: AnalyticsMetric, t: RollupTotals): number | null {
  switch (metric) {
    case 'runs':
      return t.runs;
    case 'succeeded':
      return t.succeeded;
    case 'failed':
      return t.failed;
    case 'retries':
      return t.retries;
    case 'errorRate':
      return t.runs ? t.failed / t.runs : null;
    case 'avgMs':
      return t.runs ? t.sumMs / t.runs : null;
    case 'p50Ms':
      return t.sketch.quantile(0.5) ?? null;
    case 'p95Ms':
      return t.sketch.quantile(0.95) ?? null;
    case 'p99Ms':
      return t.sketch.quantile(0.99) ?? null;
  }
}

/** A series request: `metric` per `stepMs` over [from, to). */
export interface HistoricalQuery {
  workspaceId: string;
  metric: AnalyticsMetric;
  from: number;
  to: number;
  stepMs: number;
  /** One workflow; the whole workspace when absent. */
  workflowId?: string;
  /** One node of `workflowId`; its executions when absent. */
  nodeId?: string;
  /** Only rows of this status. */
  status?: string;
}

/** A series: one point per step (`value` null when a duration has no runs). */
export interface HistoricalSeries {
  metric: AnalyticsMetric;
  /** The finest rollup tier read: 300000 (5-minute) or 3600000 (hourly; daily buckets serve whole-day steps up to their watermark). */
  bucketMs: number;
  points: { t: number; value: number | null }[];
}

/**
 * Reads a metric's series from the rollups: hourly buckets when the step is whole hours (or the
 * period reaches past the 5-minute tier's retention), else 5-minute buckets; with whole-day steps,
 * daily buckets up to the daily tier's watermark and hourly ones after it. What a tier has not
 * rolled up yet comes from the finer one and, for the last minutes, from the ingest's partial
 * buckets ({@link freshRollups}).
 *
 * @throws AnalyticsQueryError naming the field when the step is not a multiple of 5 minutes (of an
 * hour beyond `fiveMinuteRetentionMs`), the period is empty or would need more than 2,000 points.
 * @example
 * ```ts
 * const s = await historicalSeries(store, { workspaceId: 'ws', metric: 'p95Ms', from, to, stepMs: 86_400_000 }, Date.now());
 * ```
 */
export async function historicalSeries(
  store: AnalyticsStore,
  q: HistoricalQuery,
  now: number,
  fiveMinuteRetentionMs = 30 * 86_400_000,
): Promise<HistoricalSeries> {
  if (!(q.to > q.from)) throw new AnalyticsQueryError('to', '"to" must be after "from"');
  if (q.stepMs % FIVE_MINUTES !== 0 || q.stepMs <= 0) {
    throw new AnalyticsQueryError('step', 'step must be a positive multiple of 300000 ms (5 minutes)');
  }
  if (q.nodeId !== undefined && q.workflowId === undefined) {
    throw new AnalyticsQueryError('nodeId', 'nodeId needs workflowId');
  }
  const fine = q.stepMs % ONE_HOUR !== 0 || q.to - q.from <= 6 * ONE_HOUR;
  const reachesPast = q.from < now - fiveMinuteRetentionMs;
  if (fine && reachesPast && q.stepMs % ONE_HOUR !== 0) {
    throw new AnalyticsQueryError('step', 'periods older than the 5-minute tier need a step of whole hours');
  }
  const bucketMs = fine && !reachesPast ? FIVE_MINUTES : ONE_HOUR;
  const start = Math.floor(q.from / q.stepMs) * q.stepMs;
  const steps = Math.ceil((q.to - start) / q.stepMs);
  if (steps > 2000) throw new AnalyticsQueryError('step', `${steps} points requested; at most 2000: use a larger step`);
  // Every watermark first, then every tier's rows, each round concurrently (two round trips).
  const [dailyDone, marks] = await Promise.all([
    q.stepMs % ONE_DAY === 0 ? store.watermark('1d') : undefined,
    tierWatermarks(store),
  ]);
  const read = (tier: number, from: number, to: number) =>
    from < to
      ? freshRollups(
          store,
          {
            bucketMs: tier,
            from,
            to,
            workspaceId: q.workspaceId,
            workflowId: q.workflowId ?? '',
            nodeId: q.nodeId ?? '',
          },
          marks,
        )
      : Promise.resolve([]);
  const split = dailyDone === undefined ? start : Math.min(Math.max(start, dailyDone), q.to);
  const rows = (await Promise.all([read(ONE_DAY, start, split), read(bucketMs, split, q.to)])).flat();
  const perStep: RollupRow[][] = Array.from({ length: steps }, () => []);
  for (const r of rows) {
    if (q.status !== undefined && r.status !== q.status) continue;
    perStep[Math.floor((r.bucketStart - start) / q.stepMs)]?.push(r);
  }
  return {
    metric: q.metric,
    bucketMs,
    points: perStep.map((rs, i) => ({
      t: start + i * q.stepMs,
      value: metricValue(q.metric, totals(rs, q.metric.startsWith('p'))),
    })),
  };
}
