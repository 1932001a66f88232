import { Type } from '@sinclair/typebox';
import type { AnalyticsSettings } from '@weft/sql';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { WorkflowParams, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

/** Stored analytics settings; every field optional (unset: the workspace default, then the built-in one). */
export const AnalyticsSettingsSchema = Type.Object(
  {
    sloTarget: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'SLO: share of good runs (default 0.99)' }),
    ),
    latencyObjectiveMs: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 86_400_000,
        description: 'SLO on latency: good = finished under this many ms (success objective when unset)',
      }),
    ),
    windowDays: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 90, description: 'SLO period in days (default 30)' }),
    ),
    minimumEvents: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1_000_000,
        description: 'Runs the long burn-rate window needs before an alert may fire (default 50)',
      }),
    ),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code (default USD)' })),
    costPerExecution: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
    costPerComputeSecond: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
    costPerThousandAiTokens: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
    minutesSavedPerRun: Type.Optional(
      Type.Number({ minimum: 0, maximum: 100_000, description: 'Manual minutes one successful run saves (ROI)' }),
    ),
    hourlyRate: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000, description: 'Price of an hour saved' })),
  },
  { additionalProperties: false },
);

const Answer = Type.Object({ settings: AnalyticsSettingsSchema, effective: AnalyticsSettingsSchema });

async function workflowExists(rt: HostRuntime, ws: string, wf: string): Promise<void> {
  if (!(await rt.engine.workflows.get(ws, wf)))
    throw new ProblemError(404, 'workflow-not-found', `Workflow "${wf}" not found`);
}

/**
 * Stored SLO, cost and ROI settings of the workspace (its default) and of each workflow, read by
 * the `slo`, `roi` and `health-score` analytics routes when the query does not set a value.
 *
 * @example
 * ```ts
 * mountRoutes(router, analyticsSettingsRoutes(runtime), runtime);
 * ```
 */
export function analyticsSettingsRoutes(rt: HostRuntime): AnyRoute[] {
  const settings = rt.analytics.settings;
  const common = { tag: 'analytics', scope: 'workflows', response: Answer } as const;
  const answer = async (ws: string, wf: string) => ({
    settings: await settings.get(ws, wf),
    effective: await settings.effective(ws, wf || undefined),
  });
  return [
    defineRoute({
      ...common,
      method: 'get',
      path: '/workspaces/:workspaceId/analytics-settings',
      summary: 'The workspace’s default SLO objective, cost rates and minutes saved per run',
      auth: 'read',
      params: WorkspaceParams,
      handler: ({ params }) => answer(params.workspaceId, ''),
    }),
    defineRoute({
      ...common,
      method: 'put',
      path: '/workspaces/:workspaceId/analytics-settings',
      summary: 'Set the workspace’s default SLO objective, cost rates and minutes saved per run',
      auth: 'admin',
      params: WorkspaceParams,
      body: AnalyticsSettingsSchema,
      handler: async ({ params, body }) => {
        await settings.put(params.workspaceId, '', body as AnalyticsSettings);
        return answer(params.workspaceId, '');
      },
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: '/workspaces/:workspaceId/workflows/:workflowId/analytics-settings',
      summary: 'A workflow’s SLO objective, cost rates and minutes saved per run, and the effective values',
      auth: 'read',
      params: WorkflowParams,
      handler: async ({ params }) => {
        await workflowExists(rt, params.workspaceId, params.workflowId);
        return answer(params.workspaceId, params.workflowId);
      },
    }),
    defineRoute({
      ...common,
      method: 'put',
      path: '/workspaces/:workspaceId/workflows/:workflowId/analytics-settings',
      summary: 'Set a workflow’s SLO objective, cost rates and minutes saved per run (fields left out: the default)',
      auth: 'write',
      params: WorkflowParams,
      body: AnalyticsSettingsSchema,
      handler: async ({ params, body }) => {
        await workflowExists(rt, params.workspaceId, params.workflowId);
        await settings.put(params.workspaceId, params.workflowId, body as AnalyticsSettings);
        return answer(params.workspaceId, params.workflowId);
      },
    }),
  ];
}
