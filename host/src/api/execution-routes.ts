import { Type } from '@sinclair/typebox';
import {
  EngineError,
  type ExecutionRecord,
  type Item,
  type JsonValue,
  type PortItems,
  type Workflow,
} from '@weft/engine';
import { searchExecutions } from '@weft/sql';
import { subjectSealing } from '../compliance/subject-sealing.js';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { ExecutionParams, ItemsSchema, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { ExecutionSearchQuery, toExecutionSearch } from './execution-query.js';

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

async function requiredExecution(rt: HostRuntime, ws: string, id: string): Promise<ExecutionRecord> {
  const r = await rt.engine.executions.get(ws, id);
  if (!r || r.workspaceId !== ws) throw new ProblemError(404, 'execution-not-found', `Execution "${id}" not found`);
  return r;
}

/** The answer to an approval that lost the race to another decision on the same execution. */
const decided = (id: string, decision?: TakenDecision) =>
  new ProblemError(
    409,
    'not-awaiting-approval',
    `Execution "${id}" is no longer waiting: another decision was taken first`,
    decision ? { decision } : {},
  );

/** The decision an execution's approval node received: who took it, and the client's key for it. */
interface TakenDecision {
  approved: boolean;
  by?: string;
  byName?: string;
  decisionId?: string;
}

/** Reads the decision back from the approval node's output items (each carries it under `approval`). */
async function takenDecision(rt: HostRuntime, r: ExecutionRecord): Promise<TakenDecision | undefined> {
  const runs = await rt.engine.executions.listNodeRuns(r.id);
  for (const run of runs.reverse()) {
    const item = [...(run.output?.approved ?? []), ...(run.output?.rejected ?? [])][0];
    const a = item?.json?.approval as { approved?: unknown; by?: unknown; decisionId?: unknown } | undefined;
    if (typeof a?.approved !== 'boolean') continue;
    const by = typeof a.by === 'string' ? a.by : undefined;
    const user = by ? await rt.identity.userById(by) : undefined;
    return {
      approved: a.approved,
      ...(by ? { by } : {}),
      ...(user ? { byName: user.name || user.email } : {}),
      ...(typeof a.decisionId === 'string' ? { decisionId: a.decisionId } : {}),
    };
  }
  return undefined;
}

async function pinned(rt: HostRuntime, r: ExecutionRecord) {
  const v = await rt.engine.workflows.getVersion(r.workspaceId, r.workflowId, r.workflowVersion);
  if (!v)
    throw new ProblemError(
      409,
      'version-gone',
      `Workflow "${r.workflowId}" version ${r.workflowVersion} no longer exists`,
    );
  return v;
}

/** Nodes reachable downstream of `from` (inclusive): these re-run; everything else is reused. */
function downstream(wf: Workflow, fromId: string): Set<string> {
  const out = new Set([fromId]);
  const stack = [fromId];
  while (stack.length) {
    const id = stack.pop() as string;
    for (const c of wf.connections ?? []) {
      if (c.source === id && !out.has(c.target)) {
        out.add(c.target);
        stack.push(c.target);
      }
    }
  }
  return out;
}

/**
 * Executions: list/filter/search, get with node runs, cancel, retry, delete, replay from a node,
 * and approvals (approve/reject with a payload).
 *
 * @example
 * ```ts
 * mountRoutes(router, executionRoutes(runtime), runtime);
 * ```
 */
export function executionRoutes(rt: HostRuntime): AnyRoute[] {
  const base = '/workspaces/:workspaceId/executions';
  const one = `${base}/:executionId`;
  const decide = (approved: boolean) =>
    defineRoute({
      method: 'post',
      path: `${one}/${approved ? 'approve' : 'reject'}`,
      summary: approved ? 'Approve a waiting approval' : 'Reject a waiting approval',
      tag: 'approvals',
      scope: 'executions',
      auth: 'execute',
      params: ExecutionParams,
      body: Type.Object(
        {
          comment: Type.Optional(Type.String({ maxLength: 5000 })),
          data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
          decisionId: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 100,
              description:
                'Idempotency key of this decision: sent again after it was applied, it answers 200 with `replayed: true`',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      handler: async ({ params, body, principal }) => {
        const r = await requiredExecution(rt, params.workspaceId, params.executionId);
        // A decision resent with its key (an offline queue, a lost response) finds itself applied.
        const conflict = async (detail?: string) => {
          const taken = await takenDecision(rt, await requiredExecution(rt, params.workspaceId, r.id));
          if (body.decisionId && taken?.decisionId === body.decisionId) {
            const now = await requiredExecution(rt, params.workspaceId, r.id);
            return { executionId: r.id, status: now.status, replayed: true };
          }
          if (!detail) throw decided(r.id, taken);
          throw new ProblemError(409, 'not-awaiting-approval', detail, taken ? { decision: taken } : {});
        };
        if (r.status !== 'waiting' || r.wait?.kind !== 'signal') {
          return conflict(`Execution "${r.id}" is not waiting for an approval (status ${r.status})`);
        }
        const payload = {
          approved,
          by: principal.userId,
          ...(body.comment ? { comment: body.comment } : {}),
          ...(body.data ? { data: body.data as JsonValue } : {}),
          ...(body.decisionId ? { decisionId: body.decisionId } : {}),
        };
        const result = await rt.launcher.track(
          rt.engine.signal(r.id, payload as JsonValue, { workspaceId: params.workspaceId }).catch((err: unknown) => {
            // Of concurrent decisions the engine delivers one; the others lost the race (not a crash to log).
            if (err instanceof EngineError && err.code === 'INVALID_STATE') return undefined;
            throw err;
          }),
          r.id,
        );
        if (!result) return conflict();
        return { executionId: r.id, status: result.status };
      },
    });
  return [
    defineRoute({
      method: 'get',
      path: base,
      summary:
        'List executions, newest first: filter by workflow, status, mode, start time, duration; search ids, errors and content',
      tag: 'executions',
      scope: 'executions',
      auth: 'read',
      params: WorkspaceParams,
      query: ExecutionSearchQuery,
      handler: async ({ params, query }) => {
        const reader = await rt.reads.hFor(params.workspaceId);
        const page = await searchExecutions(reader, params.workspaceId, toExecutionSearch(query));
        return { ...page, items: await subjectSealing(rt.h).executions.openRecords(page.items) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/workspaces/:workspaceId/approvals',
      summary: 'Executions waiting for an approval',
      tag: 'approvals',
      scope: 'executions',
      auth: 'read',
      params: WorkspaceParams,
      handler: async ({ params }) => {
        const page = await searchExecutions(rt.h, params.workspaceId, { status: ['waiting'], limit: 500 });
        return { items: page.items.filter((r) => r.wait?.kind === 'signal') };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/workspaces/:workspaceId/schedules',
      summary: 'Active schedule triggers and their next fire times',
      tag: 'schedules',
      scope: 'workflows',
      auth: 'read',
      params: WorkspaceParams,
      handler: ({ params }) => ({ items: rt.scheduler.list(params.workspaceId) }),
    }),
    defineRoute({
      method: 'get',
      path: one,
      summary: 'Get an execution with its node runs (input, output, error, timings)',
      tag: 'executions',
      scope: 'executions',
      auth: 'read',
      params: ExecutionParams,
      handler: async ({ params }) => {
        const r = await requiredExecution(rt, params.workspaceId, params.executionId);
        return { ...r, nodeRuns: await rt.engine.executions.listNodeRuns(r.id) };
      },
    }),
    defineRoute({
      method: 'delete',
      path: one,
      summary: 'Delete a finished execution and its node runs',
      tag: 'executions',
      scope: 'executions',
      auth: 'write',
      params: ExecutionParams,
      handler: async ({ params }) => {
        const r = await requiredExecution(rt, params.workspaceId, params.executionId);
        if (!TERMINAL.has(r.status))
          throw new ProblemError(409, 'execution-active', `Execution "${r.id}" is ${r.status}; cancel it first`);
        await rt.engine.executions.delete(params.workspaceId, r.id);
        return undefined;
      },
    }),
    defineRoute({
      method: 'post',
      path: `${one}/cancel`,
      summary: 'Cancel a queued, running or waiting execution',
      tag: 'executions',
      scope: 'executions',
      auth: 'execute',
      params: ExecutionParams,
      handler: async ({ params }) => {
        const r = await requiredExecution(rt, params.workspaceId, params.executionId);
        if (TERMINAL.has(r.status))
          throw new ProblemError(409, 'execution-finished', `Execution "${r.id}" already ${r.status}`);
        await rt.engine.cancel(r.id, { workspaceId: params.workspaceId });
        return { executionId: r.id, cancelled: true };
      },
    }),
    defineRoute({
      method: 'post',
      path: `${one}/retry`,
      summary: 'Run the same workflow version again with the same input',
      tag: 'executions',
      scope: 'executions',
      auth: 'execute',
      status: 202,
      params: ExecutionParams,
      body: Type.Object({ wait: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      handler: async ({ params, body }) => {
        const r = await requiredExecution(rt, params.workspaceId, params.executionId);
        const stored = await pinned(rt, r);
        return rt.launcher.launch(stored, {
          mode: 'retry',
          input: r.input.main ?? [],
          ...(r.startNodeId ? { startNodeId: r.startNodeId } : {}),
          ...(body.wait ? { wait: true } : {}),
        });
      },
    }),
    defineRoute({
      method: 'post',
      path: `${one}/replay`,
      summary: 'Re-run from a node: nodes before it reuse this execution’s outputs; it and everything after run again',
      tag: 'debug',
      scope: 'executions',
      auth: 'execute',
      params: ExecutionParams,
      body: Type.Object(
        {
          fromNode: Type.String({ minLength: 1, maxLength: 200, description: 'Node id or name to re-run from' }),
          pinData: Type.Optional(Type.Record(Type.String(), ItemsSchema)),
          stopAfter: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
      handler: async ({ params, body }) => {
        const r = await requiredExecution(rt, params.workspaceId, params.executionId);
        const { workflow } = await pinned(rt, r);
        const from = workflow.nodes.find((n) => n.id === body.fromNode || n.name === body.fromNode);
        if (!from)
          throw new ProblemError(400, 'unknown-node', `No node "${body.fromNode}" in version ${r.workflowVersion}`, {
            errors: [{ in: 'body', path: '/fromNode', message: 'Unknown node' }],
          });
        const rerun = downstream(workflow, from.id);
        const reuse: Record<string, PortItems> = {};
        for (const run of await rt.engine.executions.listNodeRuns(r.id)) {
          const node = workflow.nodes.find((n) => n.id === run.nodeId);
          if (node && !rerun.has(node.id) && run.status === 'succeeded' && run.output) reuse[node.name] = run.output;
        }
        const result = await rt.launcher.track(
          rt.engine.execute(workflow, {
            workspaceId: params.workspaceId,
            mode: 'debug',
            input: r.input.main ?? [],
            reuse,
            ...(r.startNodeId ? { startNodeId: r.startNodeId } : {}),
            ...(body.pinData ? { pinData: body.pinData as Record<string, Item[]> } : {}),
            ...(body.stopAfter ? { stopAfter: body.stopAfter } : {}),
          }),
          r.id,
        );
        return {
          ...result,
          reused: Object.keys(reuse),
          nodeRuns: await rt.engine.executions.listNodeRuns(result.executionId),
        };
      },
    }),
    decide(true),
    decide(false),
  ];
}
