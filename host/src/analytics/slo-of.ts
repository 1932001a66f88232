import {
  evaluateSlo,
  FIVE_MINUTES,
  freshRollups,
  ONE_HOUR,
  SLO_WINDOWS_MS,
  type SloWindow,
  totals,
} from '@weft/analytics';
import type { HostAnalytics } from '../runtime/host-analytics.js';

/** What the SLO and rollup readers use of the runtime. */
export type AnalyticsRuntime = { analytics: HostAnalytics };

const DAY = 86_400_000;

/** Rollup rows of [from, to): 5-minute buckets within their retention, hourly beyond; the last minutes from partial buckets. */
export async function rowsOf(
  rt: AnalyticsRuntime,
  ws: string,
  from: number,
  to: number,
  workflowId: string | undefined,
  nodes: boolean,
) {
  const bucketMs = from >= Date.now() - rt.analytics.rollups.retention.fiveMinuteMs ? FIVE_MINUTES : ONE_HOUR;
  const rows = await freshRollups(rt.analytics.store, {
    bucketMs,
    from: Math.floor(from / bucketMs) * bucketMs,
    to,
    workspaceId: ws,
    ...(nodes ? {} : { workflowId: workflowId ?? '', nodeId: '' }),
    ...(nodes && workflowId ? { workflowId } : {}),
  });
  return nodes ? rows.filter((r) => r.nodeId !== '') : rows;
}

/** What an SLO query may set; unset values come from the stored settings, then the defaults. */
export interface SloOverrides {
  target?: number;
  latencyMs?: number;
  minimumEvents?: number;
  /** Budget period in ms instead of the stored window (alert evaluation reads only the 3-day window). */
  periodMs?: number;
}

/**
 * Error budget and burn-rate alerts of a workflow's (or the workspace's) SLO, over the period of
 * its stored settings (30 days by default), windows ending at the 5-minute rollup watermark.
 *
 * @example
 * ```ts
 * const s = await sloOf(runtime, 'ws_1', 'wf_1');
 * if (s.alerts.some((a) => a.firing)) page();
 * ```
 */
export async function sloOf(rt: AnalyticsRuntime, ws: string, workflowId: string | undefined, o: SloOverrides = {}) {
  const s = await rt.analytics.settings.effective(ws, workflowId);
  const target = o.target ?? s.sloTarget ?? 0.99;
  const latencyMs = o.latencyMs ?? s.latencyObjectiveMs;
  const minimumEvents = o.minimumEvents ?? s.minimumEvents;
  const periodMs = o.periodMs ?? (s.windowDays ?? 30) * DAY;
  const end = (await rt.analytics.store.watermark('5m')) ?? Date.now();
  const rows = await rowsOf(rt, ws, end - Math.max(periodMs, SLO_WINDOWS_MS['3d']), end, workflowId, false);
  const count = (from: number) => {
    const t = totals(
      rows.filter((r) => r.bucketStart >= from && r.bucketStart < end),
      latencyMs !== undefined,
    );
    return { total: t.runs, bad: latencyMs !== undefined ? t.sketch.countAbove(latencyMs) : t.failed };
  };
  const windows = Object.fromEntries(
    (Object.keys(SLO_WINDOWS_MS) as SloWindow[]).map((w) => [w, count(end - SLO_WINDOWS_MS[w])]),
  ) as Record<SloWindow, { total: number; bad: number }>;
  const status = evaluateSlo(
    { target, ...(minimumEvents !== undefined ? { minimumEvents } : {}) },
    { period: count(end - periodMs), windows },
  );
  return {
    ...status,
    objective: latencyMs !== undefined ? ('latency' as const) : ('success' as const),
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    periodDays: periodMs / DAY,
    windowsEndAt: end,
  };
}
