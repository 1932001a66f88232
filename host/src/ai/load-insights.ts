import { type WorkflowInsights, workflowInsights } from '@weft/ai';
import type { ExecutionRecord, NodeRunRecord, Workflow } from '@weft/engine';
import type { HostRuntime } from '../runtime/host-runtime.js';

/** What `POST …/ai/insights` looks at. */
export interface InsightsQuery {
  workflowId?: string;
  /** Epoch ms; default 7 days before `to`. */
  from?: number;
  to?: number;
  /** Most recent executions read (default 500). */
  maxExecutions?: number;
  limit?: number;
  perComputeSecond?: number;
}

const DAY = 86_400_000;

/**
 * Reads a workspace's recent executions (newest first, within [from, to)) and their node runs,
 * and the workflows they ran, then computes {@link workflowInsights} over them.
 *
 * @example
 * ```ts
 * const insights = await loadInsights(rt, 'ws1', { workflowId: 'orders' });
 * ```
 */
export async function loadInsights(rt: HostRuntime, workspaceId: string, q: InsightsQuery): Promise<WorkflowInsights> {
  const to = q.to ?? Date.now();
  const from = q.from ?? to - 7 * DAY;
  const max = q.maxExecutions ?? 500;
  const executions: ExecutionRecord[] = [];
  let cursor: string | undefined;
  while (executions.length < max) {
    const page = await rt.executions.list(workspaceId, {
      limit: Math.min(200, max - executions.length),
      ...(q.workflowId ? { workflowId: q.workflowId } : {}),
      ...(cursor ? { cursor } : {}),
    });
    executions.push(...page.items.filter((e) => e.startedAt >= from && e.startedAt < to));
    const last = page.items.at(-1);
    if (!page.nextCursor || !last || last.startedAt < from) break;
    cursor = page.nextCursor;
  }
  const nodeRuns: NodeRunRecord[] = [];
  for (const e of executions) nodeRuns.push(...(await rt.executions.listNodeRuns(e.id)));
  const workflows = new Map<string, Workflow>();
  for (const id of new Set(executions.map((e) => e.workflowId))) {
    const stored = await rt.engine.workflows.get(workspaceId, id);
    if (stored) workflows.set(id, stored.workflow);
  }
  return workflowInsights({
    workspaceId,
    executions,
    nodeRuns,
    workflows,
    ...(q.limit ? { limit: q.limit } : {}),
    ...(q.perComputeSecond !== undefined ? { pricing: { perComputeSecond: q.perComputeSecond } } : {}),
  });
}
