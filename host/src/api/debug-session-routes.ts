import { type TSchema, Type } from '@sinclair/typebox';
import { type Item, WorkflowSchema } from '@weft/engine';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, ItemsSchema, VersionNumber, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { DebugSessions } from '../workflows/debug-sessions.js';
import { checkWorkflow } from '../workflows/workflow-service.js';

const SessionParams = Type.Object({ workspaceId: IdString, sessionId: IdString });
const PinData = Type.Record(Type.String({ minLength: 1, maxLength: 200 }), ItemsSchema, {
  description: 'Main output items to use instead of running a node, by node name',
});
const Breakpoints = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
  maxItems: 500,
  description: 'Node names or ids to pause before',
});

const NodeRunSchema = Type.Object({
  seq: Type.Integer(),
  nodeId: Type.String(),
  nodeName: Type.String(),
  runIndex: Type.Integer(),
  status: Type.String(),
  attempts: Type.Integer(),
  input: Type.Optional(Type.Record(Type.String(), Type.Array(Type.Unknown()))),
  output: Type.Optional(Type.Record(Type.String(), Type.Array(Type.Unknown()))),
  error: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  startedAt: Type.Integer(),
  finishedAt: Type.Integer(),
});

const SessionSchema = Type.Object({
  id: Type.String(),
  executionId: Type.String(),
  workflowId: Type.String(),
  workflowVersion: Type.Integer({ description: '0 for a draft' }),
  status: Type.Union(
    ['paused', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'].map((s) => Type.Literal(s)),
    { description: '`paused` before `next[0]`; otherwise the execution status' },
  ),
  next: Type.Array(Type.Object({ nodeId: Type.String(), nodeName: Type.String() }), {
    description: 'Nodes ready to run, in run order; `step` runs the first',
  }),
  breakpoints: Type.Array(Type.String()),
  pinned: Type.Array(Type.String()),
  wait: Type.Optional(Type.Object({ nodeId: Type.String(), kind: Type.String() })),
  output: Type.Optional(Type.Array(Type.Unknown())),
  error: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  createdBy: Type.String(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

const WithRuns = Type.Intersect([SessionSchema, Type.Object({ nodeRuns: Type.Array(NodeRunSchema) })]);
const WithRan = Type.Intersect([
  SessionSchema,
  Type.Object({ ran: Type.Array(NodeRunSchema, { description: 'Node runs of this call, with input and output' }) }),
]);

/**
 * Step-through debug sessions (editor and above): start one paused before the first node, `step`
 * one node at a time, `continue` to the end or the next breakpoint, `stop`.
 *
 * @example
 * ```ts
 * mountRoutes(router, debugSessionRoutes(runtime), runtime);
 * ```
 */
export function debugSessionRoutes(rt: HostRuntime): AnyRoute[] {
  const sessions = new DebugSessions(rt);
  const base = '/workspaces/:workspaceId/debug-sessions';
  const one = `${base}/:sessionId`;
  return [
    defineRoute({
      method: 'post',
      path: base,
      summary: 'Start a debug session: an execution paused before its first node',
      tag: 'debug',
      scope: 'executions',
      auth: 'write',
      status: 201,
      params: WorkspaceParams,
      body: Type.Object(
        {
          workflowId: Type.Optional(IdString),
          version: Type.Optional(Type.Integer({ ...VersionNumber, description: 'Stored version (default: latest)' })),
          workflow: Type.Optional(WorkflowSchema as unknown as TSchema),
          input: Type.Optional(ItemsSchema),
          startNodeId: Type.Optional(IdString),
          pinData: Type.Optional(PinData),
          breakpoints: Type.Optional(Breakpoints),
        },
        { additionalProperties: false, description: 'Give `workflowId` (a stored workflow) or `workflow` (a draft)' },
      ),
      response: WithRuns,
      handler: async ({ params, body, principal }) => {
        if ((body.workflowId === undefined) === (body.workflow === undefined)) {
          throw new ProblemError(400, 'invalid-body', 'Give exactly one of workflowId (stored) and workflow (draft)', {
            errors: [{ in: 'body', path: '/workflowId', message: 'Exactly one of workflowId and workflow' }],
          });
        }
        if (body.version !== undefined && body.workflowId === undefined) {
          throw new ProblemError(400, 'invalid-body', 'version needs workflowId', {
            errors: [{ in: 'body', path: '/version', message: 'Only with workflowId' }],
          });
        }
        const common = {
          ...(body.input ? { input: body.input as Item[] } : {}),
          ...(body.startNodeId ? { startNodeId: body.startNodeId } : {}),
          ...(body.pinData ? { pinData: body.pinData as Record<string, Item[]> } : {}),
          ...(body.breakpoints ? { breakpoints: body.breakpoints } : {}),
        };
        if (body.workflowId !== undefined) {
          const stored =
            body.version === undefined
              ? await rt.engine.workflows.get(params.workspaceId, body.workflowId)
              : await rt.engine.workflows.getVersion(params.workspaceId, body.workflowId, body.version);
          if (!stored) {
            const what = body.version === undefined ? '' : ` version ${body.version}`;
            throw new ProblemError(404, 'workflow-not-found', `Workflow "${body.workflowId}"${what} not found`);
          }
          return sessions.start(params.workspaceId, principal.userId, {
            ...common,
            workflow: { ...stored.workflow, id: stored.id, version: stored.version },
            workflowVersion: stored.version,
          });
        }
        const draft = checkWorkflow(rt, body.workflow, 'body/workflow');
        return sessions.start(params.workspaceId, principal.userId, {
          ...common,
          workflow: { ...draft, id: draft.id ?? 'draft', version: 0 },
          workflowVersion: 0,
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: one,
      summary: 'Get a debug session with every node run so far',
      tag: 'debug',
      scope: 'executions',
      auth: 'write',
      params: SessionParams,
      response: WithRuns,
      handler: ({ params }) => sessions.get(params.workspaceId, params.sessionId),
    }),
    defineRoute({
      method: 'post',
      path: `${one}/step`,
      summary: 'Run exactly the next node; answers its input and output and the nodes ready next',
      tag: 'debug',
      scope: 'executions',
      auth: 'write',
      params: SessionParams,
      body: Type.Object({ pinData: Type.Optional(PinData) }, { additionalProperties: false }),
      response: WithRan,
      handler: ({ params, body }) =>
        sessions.step(params.workspaceId, params.sessionId, {
          ...(body.pinData ? { pinData: body.pinData as Record<string, Item[]> } : {}),
        }),
    }),
    defineRoute({
      method: 'post',
      path: `${one}/continue`,
      summary: 'Run to the end, or until the next breakpoint',
      tag: 'debug',
      scope: 'executions',
      auth: 'write',
      params: SessionParams,
      body: Type.Object(
        { pinData: Type.Optional(PinData), breakpoints: Type.Optional(Breakpoints) },
        { additionalProperties: false },
      ),
      response: WithRan,
      handler: ({ params, body }) =>
        sessions.continue(params.workspaceId, params.sessionId, {
          ...(body.pinData ? { pinData: body.pinData as Record<string, Item[]> } : {}),
          ...(body.breakpoints ? { breakpoints: body.breakpoints } : {}),
        }),
    }),
    defineRoute({
      method: 'post',
      path: `${one}/stop`,
      summary: 'Stop a debug session (cancels its execution)',
      tag: 'debug',
      scope: 'executions',
      auth: 'write',
      params: SessionParams,
      response: SessionSchema,
      handler: ({ params }) => sessions.stop(params.workspaceId, params.sessionId),
    }),
  ];
}
