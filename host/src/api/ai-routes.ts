import { Type } from '@sinclair/typebox';
import { type CatalogueEntry, generateWorkflow, optimizeWorkflow, recommendNextNodes } from '@weft/ai';
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
  let catalogue: CatalogueEntry[] | undefined;
  const load = async (workspaceId: string, workflowId: string) => {
    const stored = await rt.engine.workflows.get(workspaceId, workflowId);
    if (!stored)
      throw new ProblemError(404, 'workflow-not-found', `Workflow "${workflowId}" not found`, {
        errors: [{ in: 'body', path: '/workflowId', message: 'not found' }],
      });
    return stored;
  };
  return [
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/ai/generate',
      summary: 'Generates a workflow (not saved) from a request in plain words, saying what it could not resolve',
      tag: 'ai',
      scope: 'workflows',
      auth: 'write',
      params: WorkspaceParams,
      body: Type.Object(
        { prompt: Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S' }) },
        { additionalProperties: false },
      ),
      response: GenerationSchema,
      handler: async ({ params, body }) => {
        catalogue ??= rt.registry.describe();
        return generateWorkflow(body.prompt, { catalogue, workspaceId: params.workspaceId });
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
      handler: async ({ params, body }) => {
        const stored = await load(params.workspaceId, body.workflowId);
        catalogue ??= rt.registry.describe();
        return { items: optimizeWorkflow(stored.workflow, { catalogue }) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/ai/recommendations',
      summary: "Next-node suggestions for a stored workflow, from what follows the node in the workspace's workflows",
      tag: 'ai',
      scope: 'workflows',
      auth: 'read',
      params: WorkspaceParams,
      body: Type.Object(
        { workflowId: IdString, afterNodeId: Type.Optional(IdString) },
        { additionalProperties: false },
      ),
      handler: async ({ params, body }) => {
        const stored = await load(params.workspaceId, body.workflowId);
        catalogue ??= rt.registry.describe();
        const corpus = (await allWorkflows(rt, params.workspaceId))
          .filter((w) => w.id !== stored.id)
          .map((w) => w.workflow);
        return {
          items: recommendNextNodes(stored.workflow, {
            catalogue,
            corpus,
            ...(body.afterNodeId ? { afterNodeId: body.afterNodeId } : {}),
          }),
        };
      },
    }),
  ];
}
