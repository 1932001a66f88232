import { type Static, Type } from '@sinclair/typebox';
import {
  ANALYTICS_METRICS,
  AnalyticsQueryError,
  createAnomalyDetector,
  FIVE_MINUTES,
  healthScore,
  historicalSeries,
  ONE_HOUR,
  roiReport,
  toCsv,
  totals,
} from '@weft/analytics';
import type { RollupRow } from '@weft/engine';
import { SqlAiUsage, SqlAnalyticsStore } from '@weft/sql';
import { rowsOf, sloOf } from '../analytics/slo-of.js';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { analyticsSettingsRoutes } from './analytics-settings-routes.js';

const DAY = 86_400_000;
const Millis = (description: string) => Type.Integer({ minimum: 0, maximum: 8_640_000_000_000, description });
const Period = Type.Integer({ minimum: FIVE_MINUTES, maximum: 366 * DAY, description: 'Length in ms (default 24 h)' });
const WorkflowFilter = Type.Optional({ ...IdString, description: 'One workflow (the whole workspace when absent)' });

const HistoricalQuery = Type.Object({
  metric: Type.Union(
    ANALYTICS_METRICS.map((m) => Type.Literal(m)),
    { description: 'What to chart' },
  ),
  from: Type.Optional(Millis('Start, epoch ms (default: to - 24 h)')),
  to: Type.Optional(Millis('End (exclusive), epoch ms (default: now)')),
  step: Type.Optional(
    Type.Integer({
      minimum: FIVE_MINUTES,
      maximum: 366 * DAY,
      description: 'Point spacing in ms, a multiple of 300000 (default 1 h)',
    }),
  ),
  workflowId: WorkflowFilter,
  nodeId: Type.Optional({ ...IdString, description: 'One node of workflowId' }),
  status: Type.Optional(Type.String({ pattern: '^[a-z_]{1,32}$' })),
  anomalies: Type.Optional(
    Type.Boolean({
      description: 'Score each point with the seasonal anomaly detector (`score` 0..1, `anomaly` when it stands out)',
    }),
  ),
});

const HealthQuery = Type.Object({
  workflowId: WorkflowFilter,
  period: Type.Optional(Period),
  latencySloMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400_000 })),
});

const SloQuery = Type.Object({
  workflowId: WorkflowFilter,
  target: Type.Optional(
    Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'Share of good runs (default 0.99)' }),
  ),
  latencyMs: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 86_400_000, description: 'Good = finished under this; success otherwise' }),
  ),
  minimumEvents: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
});

const RoiQuery = Type.Object({
  workflowId: WorkflowFilter,
  period: Type.Optional(Period),
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
  perComputeSecond: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
  perExecution: Type.Optional(Type.Number({ minimum: 0, maximum: 1000, description: 'Flat price of one execution' })),
  minutesSavedPerRun: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
  hourlyRate: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
  perThousandAiTokens: Type.Optional(
    Type.Number({ minimum: 0, maximum: 1000, description: "Price of 1,000 AI tokens (the workspace's AI usage)" }),
  ),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
});

/** Realtime windows of a workspace plus executions running and queued now. */
async function realtimeOf(rt: HostRuntime, ws: string) {
  const windows = await rt.analytics.realtime.windows(ws, Date.now());
  const live = await rt.h.db
    .selectFrom('executions')
    .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('workspace_id', '=', ws)
    .where('status', 'in', ['running', 'queued'])
    .groupBy('status')
    .execute();
  const count = (s: string) => Number(live.find((r) => r.status === s)?.n ?? 0);
  return { windows, inFlight: count('running'), queued: count('queued') };
}

async function deadLetters(rt: HostRuntime, ws: string, since: number, workflowId?: string): Promise<number> {
  const mine = (await rt.queue.listDeadLetters({ limit: 10_000 })).filter(
    (d) => d.job.workspaceId === ws && d.failedAt >= since,
  );
  if (!workflowId) return mine.length;
  let n = 0;
  for (const d of mine.slice(0, 1000)) {
    if ((await rt.executions.get(ws, d.job.executionId))?.workflowId === workflowId) n++;
  }
  return n;
}

function lastSuccess(rows: readonly RollupRow[]): number | undefined {
  let last: number | undefined;
  for (const r of rows)
    if (r.status === 'succeeded' && r.count > 0) last = Math.max(last ?? 0, r.bucketStart + r.bucketMs);
  return last;
}

async function roiOf(rt: HostRuntime, ws: string, q: Static<typeof RoiQuery>, workflowId: string | undefined) {
  const now = Date.now();
  const s = await rt.analytics.settings.effective(ws, workflowId);
  const rows = await rowsOf(rt, ws, now - (q.period ?? DAY), now, workflowId, false);
  const t = totals(rows, false);
  // AI usage is recorded per workspace, not per workflow: it counts in the workspace's report.
  const ai = workflowId ? undefined : await new SqlAiUsage(rt.h).totals(ws, { from: now - (q.period ?? DAY), to: now });
  return roiReport(
    {
      currency: q.currency ?? s.currency ?? 'USD',
      perComputeSecond: q.perComputeSecond ?? s.costPerComputeSecond ?? 0,
      perThousandAiTokens: q.perThousandAiTokens ?? s.costPerThousandAiTokens ?? 0,
      perExecution: q.perExecution ?? s.costPerExecution ?? 0,
    },
    { computeMs: t.sumMs, aiTokens: ai ? ai.promptTokens + ai.completionTokens : 0, executions: t.runs },
    {
      minutesSavedPerRun: q.minutesSavedPerRun ?? s.minutesSavedPerRun ?? 0,
      hourlyRate: q.hourlyRate ?? s.hourlyRate ?? 0,
    },
    t.succeeded,
  );
}

const FiringAlerts = Type.Object({
  items: Type.Array(
    Type.Object({
      workflowId: Type.String({ description: "The workflow, or '' for an alert on the whole workspace" }),
      scope: Type.Union([Type.Literal('workflow'), Type.Literal('workspace')]),
      kind: Type.Union([Type.Literal('slo_burn'), Type.Literal('anomaly')], {
        description: 'slo_burn: an SLO burn-rate rule fires; anomaly: the hourly error rate stands out',
      }),
      since: Millis('When it started, epoch ms'),
      detail: Type.Record(Type.String(), Type.Unknown(), {
        description: 'What started it: the rules burning (slo_burn) or the anomalous value and score (anomaly)',
      }),
    }),
  ),
});

/**
 * Analytics of a workspace: realtime windows (also as an SSE stream), historical series, health
 * score, SLO burn rates, ROI (JSON or CSV) and the alerts firing now, read from `@weft/analytics`'
 * rollups. Viewers may read them.
 *
 * @example
 * ```ts
 * mountRoutes(router, analyticsRoutes(runtime), runtime);
 * ```
 */
export function analyticsRoutes(rt: HostRuntime): AnyRoute[] {
  const base = '/workspaces/:workspaceId/analytics';
  const common = { tag: 'analytics', scope: 'executions', auth: 'read', params: WorkspaceParams } as const;
  return [
    ...analyticsSettingsRoutes(rt),
    defineRoute({
      ...common,
      method: 'get',
      path: `${base}/realtime`,
      summary: 'Rate, error rate and p95 of the last 1, 5 and 15 minutes, executions in flight and queued',
      handler: ({ params }) => realtimeOf(rt, params.workspaceId),
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: `${base}/realtime/stream`,
      summary: 'The realtime figures as Server-Sent Events (`event: realtime`), every `interval` seconds',
      tag: 'realtime',
      stream: true,
      query: Type.Object({
        interval: Type.Optional(
          Type.Integer({ minimum: 1, maximum: 60, description: 'Seconds between updates (default 5)' }),
        ),
      }),
      handler: async ({ params, query, req, res }) => {
        const first = await realtimeOf(rt, params.workspaceId);
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        let seq = 0;
        const send = (data: unknown) => res.write(`id: ${++seq}\nevent: realtime\ndata: ${JSON.stringify(data)}\n\n`);
        res.write('retry: 5000\n\n');
        send(first);
        let busy = false;
        const timer = setInterval(
          () => {
            if (busy) return;
            busy = true;
            realtimeOf(rt, params.workspaceId)
              .then(send, (err: Error) =>
                res.write(`event: error\ndata: ${JSON.stringify({ message: err.message })}\n\n`),
              )
              .finally(() => (busy = false));
          },
          (query.interval ?? 5) * 1000,
        );
        req.on('close', () => clearInterval(timer));
        return undefined;
      },
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: `${base}/historical`,
      summary: 'A metric as a series over a period, from the rollups',
      query: HistoricalQuery,
      handler: async ({ params, query }) => {
        const now = Date.now();
        const to = query.to ?? now;
        try {
          // Rollups are read from the replica when there is one (read-your-writes per workspace).
          const store = new SqlAnalyticsStore(await rt.reads.hFor(params.workspaceId));
          const series = await historicalSeries(
            store,
            {
              workspaceId: params.workspaceId,
              metric: query.metric,
              from: query.from ?? to - DAY,
              to,
              stepMs: query.step ?? ONE_HOUR,
              ...(query.workflowId ? { workflowId: query.workflowId } : {}),
              ...(query.nodeId ? { nodeId: query.nodeId } : {}),
              ...(query.status ? { status: query.status } : {}),
            },
            now,
            rt.analytics.rollups.retention.fiveMinuteMs,
          );
          if (!query.anomalies) return series;
          const detector = createAnomalyDetector();
          return {
            ...series,
            points: series.points.map((p) => (p.value === null ? p : { ...p, ...detector.update(p.t, p.value) })),
          };
        } catch (err) {
          if (!(err instanceof AnalyticsQueryError)) throw err;
          throw new ProblemError(400, 'invalid-analytics-query', err.message, {
            errors: [{ in: 'query', path: err.field, message: err.message }],
          });
        }
      },
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: `${base}/health-score`,
      summary: 'Health 0-100 of a workflow or the workspace, with each factor’s points',
      query: HealthQuery,
      handler: async ({ params, query }) => {
        const now = Date.now();
        const from = now - (query.period ?? DAY);
        const ws = params.workspaceId;
        const runs = await rowsOf(rt, ws, from, now, query.workflowId, false);
        const nodes = await rowsOf(rt, ws, from, now, query.workflowId, true);
        const t = totals(runs);
        const n = totals(nodes, false);
        const p95 = t.sketch.quantile(0.95);
        const last = lastSuccess(runs);
        const latencySloMs =
          query.latencySloMs ?? (await rt.analytics.settings.effective(ws, query.workflowId)).latencyObjectiveMs;
        return healthScore({
          runs: t.runs,
          succeeded: t.succeeded,
          ...(p95 !== undefined ? { p95Ms: p95 } : {}),
          ...(latencySloMs ? { latencySloMs } : {}),
          nodeRuns: n.runs,
          retries: n.retries,
          deadLetters: await deadLetters(rt, ws, from, query.workflowId),
          ...(last !== undefined ? { lastSuccessAt: Math.min(last, now) } : {}),
          now,
        });
      },
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: `${base}/slo`,
      summary:
        'Error budget of a success or latency objective over its period (stored settings, default 30 days) and its burn-rate alerts',
      query: SloQuery,
      handler: ({ params, query }) =>
        sloOf(rt, params.workspaceId, query.workflowId, {
          ...(query.target !== undefined ? { target: query.target } : {}),
          ...(query.latencyMs !== undefined ? { latencyMs: query.latencyMs } : {}),
          ...(query.minimumEvents !== undefined ? { minimumEvents: query.minimumEvents } : {}),
        }),
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: `${base}/alerts`,
      summary: 'SLO burn-rate and anomaly alerts firing now, of each workflow and of the whole workspace',
      response: FiringAlerts,
      handler: async ({ params }) => ({
        items: (await rt.analytics.settings.firing(params.workspaceId)).map((a) => ({
          ...a,
          scope: a.workflowId ? ('workflow' as const) : ('workspace' as const),
          detail: (a.detail ?? {}) as Record<string, unknown>,
        })),
      }),
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: `${base}/roi`,
      summary: 'Cost and return of a workflow or of each workflow of the workspace, as JSON or CSV',
      query: RoiQuery,
      handler: async ({ params, query, res }) => {
        if (query.workflowId) return roiOf(rt, params.workspaceId, query, query.workflowId);
        const now = Date.now();
        const rows = await rowsOf(rt, params.workspaceId, now - (query.period ?? DAY), now, undefined, true);
        const ids = [...new Set(rows.map((r) => r.workflowId))].sort();
        const reports = await Promise.all(
          ids.map(async (id) => ({ workflowId: id, ...(await roiOf(rt, params.workspaceId, query, id)) })),
        );
        const workspace = await roiOf(rt, params.workspaceId, query, undefined);
        if (query.format !== 'csv') return { workspace, workflows: reports };
        const csv = toCsv(
          ['workflow', 'currency', 'successful_runs', 'hours_saved', 'value', 'cost', 'net', 'roi'],
          reports.map((r) => [
            r.workflowId,
            r.currency,
            r.successfulRuns,
            r.hoursSaved,
            r.value,
            r.cost.total,
            r.net,
            r.roi,
          ]),
        );
        res.status(200).type('text/csv').attachment('roi.csv').send(csv);
        return undefined;
      },
    }),
  ];
}
