import { type Static, Type } from '@sinclair/typebox';
import {
  type DraftEvent,
  editWorkflow,
  findMissingErrorHandling,
  generateWorkflow,
  optimizeWorkflow,
  recommendForGoal,
  recommendNextNodes,
} from '@weft/ai';
import { aiProblem, createHostAi, type HostAi } from '../ai/host-ai.js';
import { loadInsights } from '../ai/load-insights.js';
import { toProblem } from '../http/error-handler.js';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, JsonObjectSchema, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { allWorkflows } from '../workflows/workflow-service.js';

const WorkflowRef = Type.Object({ workflowId: IdString }, { additionalProperties: false });

const GenerationSchema = Type.Object({
  workflow: JsonObjectSchema,
  explanation: Type.String(),
  confidence: Type.Number({ minimum: 0, maximum: 1 }),
  unresolved: Type.Array(
    Type.Object({
      text: Type.String(),
      reason: Type.String(),
      nodeId: Type.Optional(Type.String()),
      parameter: Type.Optional(Type.String()),
    }),
  ),
  source: Type.String({ description: 'offline, model or cache' }),
  diff: Type.Optional(
    Type.Object(
      {
        addedNodes: Type.Array(JsonObjectSchema),
        removedNodes: Type.Array(JsonObjectSchema),
        changedNodes: Type.Array(JsonObjectSchema),
        addedConnections: Type.Array(JsonObjectSchema),
        removedConnections: Type.Array(JsonObjectSchema),
      },
      { description: 'When editing (workflowId): what changed' },
    ),
  ),
});

const GenerateBody = Type.Object(
  {
    prompt: Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S' }),
    workflowId: Type.Optional({
      ...IdString,
      description: 'Edit this stored workflow ("add a Slack message after the IF") instead of creating one',
    }),
  },
  { additionalProperties: false },
);

const InsightsBody = Type.Object(
  {
    workflowId: Type.Optional({ ...IdString, description: 'One workflow (the whole workspace when absent)' }),
    from: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 8_640_000_000_000, description: 'Epoch ms (default: to - 7 days)' }),
    ),
    to: Type.Optional(Type.Integer({ minimum: 0, maximum: 8_640_000_000_000, description: 'Epoch ms (default: now)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Items per list (default 10)' })),
    perComputeSecond: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1000, description: 'Price of a compute second, for cost drivers' }),
    ),
  },
  { additionalProperties: false },
);

const PatchSchema = Type.Array(
  Type.Object({
    op: Type.Union([Type.Literal('add'), Type.Literal('remove'), Type.Literal('replace')]),
    path: Type.String(),
    value: Type.Optional(Type.Unknown()),
  }),
  { description: 'RFC 6902 JSON Patch on the workflow document; empty when the change needs a person' },
);

const RecommendationsBody = Type.Object(
  {
    workflowId: Type.Optional({ ...IdString, description: 'Stored workflow to advise on (goal or workflowId needed)' }),
    afterNodeId: Type.Optional({ ...IdString, description: 'Suggest nodes after this one (default: the last node)' }),
    goal: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        pattern: '\\S',
        description: 'What the workflow should achieve, in plain words: connectors for it are suggested',
      }),
    ),
  },
  { additionalProperties: false },
);

const RecommendationsSchema = Type.Object({
  items: Type.Array(Type.Object({ type: Type.String(), score: Type.Number(), reason: Type.String() }), {
    description: 'Next-node suggestions by what follows the node in the workspace workflows',
  }),
  connectors: Type.Array(
    Type.Object({
      type: Type.String(),
      displayName: Type.String(),
      category: Type.Optional(Type.String()),
      trigger: Type.Boolean(),
      score: Type.Number({ minimum: 0, maximum: 1 }),
      reason: Type.String(),
    }),
    { description: 'Catalogue entries for the goal, best first (empty without a goal)' },
  ),
  errorHandling: Type.Array(
    Type.Object({
      nodeId: Type.String(),
      type: Type.String(),
      reason: Type.String(),
      suggestion: Type.String(),
      patch: PatchSchema,
    }),
    { description: 'External calls with no retry, error output or error workflow (empty without a workflow)' },
  ),
});

const OptimizationsSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      code: Type.String({
        description:
          'unreachable-node, http-in-loop, stacked-retries, large-payload, parallel-branches, repeated-call or long-chain',
      }),
      message: Type.String(),
      nodeIds: Type.Array(Type.String()),
      patch: PatchSchema,
      estimatedSaving: Type.String(),
    }),
  ),
});

/**
 * AI routes of a workspace (`@weft/ai`) over the node types this host runs: generate a workflow
 * from a request in plain words (the offline planner: no model, no network; the workflow is
 * returned, not saved), optimisation findings with JSON Patches for a stored workflow, and
 * next-node recommendations from the workspace's other workflows.
 *
 * @example
 * ```ts
 * await fetch(`/api/v1/workspaces/${ws}/ai/generate`, { method: 'POST', headers, body: JSON.stringify({ prompt: 'Every Monday at 9 post to #team on Slack' }) });
 * ```
 */
export function aiRoutes(rt: HostRuntime): AnyRoute[] {
  let hostAi: HostAi | undefined;
  const ai = () => {
    hostAi ??= createHostAi(rt);
    return hostAi;
  };
  const load = async (workspaceId: string, workflowId: string) => {
    const stored = await rt.engine.workflows.get(workspaceId, workflowId);
    if (!stored)
      throw new ProblemError(404, 'workflow-not-found', `Workflow "${workflowId}" not found`, {
        errors: [{ in: 'body', path: '/workflowId', message: 'not found' }],
      });
    return stored;
  };
  const generate = async (
    workspaceId: string,
    body: Static<typeof GenerateBody>,
    onProgress?: (e: DraftEvent) => void,
  ) => {
    const options = { ...ai().options(workspaceId), ...(onProgress ? { onProgress } : {}) };
    try {
      if (!body.workflowId) return await generateWorkflow(body.prompt, options);
      const stored = await load(workspaceId, body.workflowId);
      return await editWorkflow(stored.workflow, body.prompt, { ...options, context: { workflowId: stored.id } });
    } catch (e) {
      throw aiProblem(e);
    }
  };
  return [
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/ai/generate',
      summary:
        'Generates a workflow (not saved) from a request in plain words, or edits a stored one (workflowId) returning the diff; says what it could not resolve',
      tag: 'ai',
      scope: 'workflows',
      auth: 'write',
      params: WorkspaceParams,
      body: GenerateBody,
      response: GenerationSchema,
      handler: ({ params, body }) => generate(params.workspaceId, body),
    }),
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/ai/generate/stream',
      summary:
        'Like generate, as Server-Sent Events while it is built: node-added, connected, parameter-set, node-removed, disconnected, then result (or error)',
      tag: 'ai',
      scope: 'workflows',
      auth: 'write',
      params: WorkspaceParams,
      body: GenerateBody,
      stream: true,
      handler: async ({ params, body, res }) => {
        if (body.workflowId) await load(params.workspaceId, body.workflowId);
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          'x-accel-buffering': 'no',
        });
        let seq = 0;
        const send = (event: string, data: unknown) =>
          res.write(`id: ${++seq}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        try {
          const result = await generate(params.workspaceId, body, (e) => send(e.type, e));
          send('result', result);
        } catch (e) {
          const p = toProblem(e);
          if (p.status >= 500) rt.logger.error({ err: e }, 'AI generation failed');
          send('error', { status: p.status, code: p.code, detail: p.message });
        }
        res.end();
      },
    }),
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/ai/insights',
      summary:
        'Insights from recent executions: failure causes clustered by node and error, flaky nodes, slow nodes (p95) and cost drivers, each with evidence links',
      tag: 'ai',
      scope: 'executions',
      auth: 'read',
      params: WorkspaceParams,
      body: InsightsBody,
      handler: async ({ params, body }) => {
        if (body.from !== undefined && body.to !== undefined && body.from >= body.to)
          throw new ProblemError(400, 'invalid-range', '"from" must be before "to"', {
            errors: [{ in: 'body', path: '/from', message: 'must be before /to' }],
          });
        if (body.workflowId) await load(params.workspaceId, body.workflowId);
        return loadInsights(rt, params.workspaceId, body);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/ai/optimize',
      summary: 'Optimisation findings for a stored workflow, each with a JSON Patch when a safe change exists',
      tag: 'ai',
      scope: 'workflows',
      auth: 'read',
      params: WorkspaceParams,
      body: WorkflowRef,
      response: OptimizationsSchema,
      handler: async ({ params, body }) => {
        const stored = await load(params.workspaceId, body.workflowId);
        return { items: optimizeWorkflow(stored.workflow, { catalogue: ai().catalogue() }) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/ai/recommendations',
      summary:
        "Next-node suggestions for a stored workflow (from what follows the node in the workspace's workflows) and its external calls with no error handling, and connectors for a stated goal",
      tag: 'ai',
      scope: 'workflows',
      auth: 'read',
      params: WorkspaceParams,
      body: RecommendationsBody,
      response: RecommendationsSchema,
      handler: async ({ params, body }) => {
        if (!body.workflowId && !body.goal)
          throw new ProblemError(400, 'invalid-body', 'Give a workflowId, a goal, or both', {
            errors: [{ in: 'body', path: '/workflowId', message: 'required when /goal is absent' }],
          });
        const catalogue = ai().catalogue();
        const connectors = body.goal ? recommendForGoal(body.goal, catalogue) : [];
        if (!body.workflowId) return { items: [], connectors, errorHandling: [] };
        const stored = await load(params.workspaceId, body.workflowId);
        const corpus = (await allWorkflows(rt, params.workspaceId))
          .filter((w) => w.id !== stored.id)
          .map((w) => w.workflow);
        return {
          items: recommendNextNodes(stored.workflow, {
            catalogue,
            corpus,
            ...(body.afterNodeId ? { afterNodeId: body.afterNodeId } : {}),
          }),
          connectors,
          errorHandling: findMissingErrorHandling(stored.workflow, catalogue),
        };
      },
    }),
  ];
}
