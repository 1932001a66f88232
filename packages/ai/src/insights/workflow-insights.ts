import type { ExecutionRecord, NodeRunRecord, Workflow } from '@weft/engine';
import { normaliseError } from './normalise-error.js';

/** Where to look: an execution, or an API path (analytics series, a workflow). */
export interface Evidence {
  executionIds: string[];
  links: string[];
}

/** Failures of one node with one normalised error message. */
export interface FailureCause extends Evidence {
  workflowId: string;
  nodeId?: string;
  nodeName?: string;
  nodeType?: string;
  /** The message with ids, numbers and URLs replaced (`normaliseError`). */
  pattern: string;
  /** One message as it was, for reading. */
  example: string;
  count: number;
  /** Share of the period's failed executions. */
  share: number;
  firstAt: number;
  lastAt: number;
}

/** A node that failed and then succeeded on a retry (within an execution or by a retry run). */
export interface FlakyNode extends Evidence {
  workflowId: string;
  nodeId: string;
  nodeName: string;
  nodeType?: string;
  /** Runs that needed more than one attempt and then succeeded. */
  recovered: number;
  runs: number;
  rate: number;
}

/** A node by its p95 duration. */
export interface SlowNode extends Evidence {
  workflowId: string;
  nodeId: string;
  nodeName: string;
  nodeType?: string;
  runs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/** What a node costs: compute time, and calls at the price of its type. */
export interface CostDriver extends Evidence {
  workflowId: string;
  nodeId: string;
  nodeName: string;
  nodeType?: string;
  runs: number;
  computeMs: number;
  /** Share of all compute time in the period. */
  share: number;
  cost: number;
}

/** What {@link workflowInsights} finds, each list worst first. */
export interface WorkflowInsights {
  period: { from: number; to: number; executions: number; failed: number };
  failures: FailureCause[];
  flaky: FlakyNode[];
  slow: SlowNode[];
  costDrivers: CostDriver[];
}

/** What {@link workflowInsights} reads. `workflows` give node types; `pricing` prices compute and calls. */
export interface InsightsInput {
  workspaceId: string;
  executions: readonly ExecutionRecord[];
  /** Node runs of those executions. */
  nodeRuns: readonly NodeRunRecord[];
  workflows?: ReadonlyMap<string, Workflow>;
  pricing?: { perComputeSecond?: number; perCall?: Readonly<Record<string, number>> };
  /** Items per list. Default 10. */
  limit?: number;
  /** Runs a node needs before its p95 counts. Default 3. */
  minRuns?: number;
}

const q = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;

/**
 * Insights from executions and their node runs: top failure causes clustered by node and
 * normalised error message, flaky nodes (failed, then succeeded on a retry), slow nodes by p95,
 * and cost drivers by compute time and priced calls. Every item carries evidence: up to five
 * execution ids and API paths (the executions, the analytics series of the node).
 *
 * @example
 * ```ts
 * const insights = workflowInsights({ workspaceId: 'ws1', executions, nodeRuns, workflows });
 * insights.failures[0]; // { nodeId: 'n2', pattern: 'Request failed with status 503', count: 12, executionIds: [...] }
 * ```
 */
export function workflowInsights(input: InsightsInput): WorkflowInsights {
  const { workspaceId, executions } = input;
  const limit = input.limit ?? 10;
  const base = `/api/v1/workspaces/${encodeURIComponent(workspaceId)}`;
  const execLinks = (ids: string[]) => ids.slice(0, 5).map((id) => `${base}/executions/${encodeURIComponent(id)}`);
  const series = (metric: string, workflowId: string, nodeId: string) =>
    `${base}/analytics/historical?metric=${metric}&workflowId=${encodeURIComponent(workflowId)}&nodeId=${encodeURIComponent(nodeId)}`;
  const byId = new Map(executions.map((e) => [e.id, e]));
  const typeOf = (workflowId: string, nodeId: string | undefined) =>
    nodeId ? input.workflows?.get(workflowId)?.nodes.find((n) => n.id === nodeId)?.type : undefined;
  const failedExecs = executions.filter((e) => e.status === 'failed');
  const from = Math.min(...executions.map((e) => e.startedAt));
  const to = Math.max(...executions.map((e) => e.finishedAt ?? e.startedAt));

  const causes = new Map<string, FailureCause>();
  for (const e of failedExecs) {
    const nodeId = e.error?.nodeId;
    const message = e.error?.message ?? 'failed without an error message';
    const pattern = normaliseError(message);
    const key = `${e.workflowId}\u0000${nodeId ?? ''}\u0000${pattern}`;
    const c = causes.get(key) ?? {
      workflowId: e.workflowId,
      ...(nodeId ? { nodeId } : {}),
      ...(e.error?.nodeName ? { nodeName: e.error.nodeName } : {}),
      ...(typeOf(e.workflowId, nodeId) ? { nodeType: typeOf(e.workflowId, nodeId) } : {}),
      pattern,
      example: message.slice(0, 500),
      count: 0,
      share: 0,
      firstAt: e.startedAt,
      lastAt: e.startedAt,
      executionIds: [],
      links: [],
    };
    c.count++;
    c.firstAt = Math.min(c.firstAt, e.startedAt);
    c.lastAt = Math.max(c.lastAt, e.startedAt);
    c.executionIds.push(e.id);
    causes.set(key, c);
  }
  const failures = [...causes.values()]
    .sort((a, b) => b.count - a.count || b.lastAt - a.lastAt)
    .slice(0, limit)
    .map((c) => {
      const ids = [...c.executionIds].sort((a, b) => (byId.get(b)?.startedAt ?? 0) - (byId.get(a)?.startedAt ?? 0));
      return {
        ...c,
        share: Math.round((c.count / failedExecs.length) * 1000) / 1000,
        executionIds: ids.slice(0, 5),
        links: [
          ...execLinks(ids),
          ...(c.nodeId ? [series('failed', c.workflowId, c.nodeId)] : []),
          `${base}/executions?workflowId=${encodeURIComponent(c.workflowId)}&status=failed`,
        ],
      };
    });

  interface NodeStat {
    workflowId: string;
    nodeId: string;
    nodeName: string;
    durations: number[];
    recovered: string[];
    runs: number;
  }
  const stats = new Map<string, NodeStat>();
  const failedBefore = new Map<string, number>();
  const ordered = [...input.nodeRuns].sort((a, b) => a.startedAt - b.startedAt || a.seq - b.seq);
  for (const r of ordered) {
    const e = byId.get(r.executionId);
    if (!e || r.status === 'waiting' || r.status === 'running' || r.status === 'skipped') continue;
    const key = `${e.workflowId}\u0000${r.nodeId}`;
    const s = stats.get(key) ?? {
      workflowId: e.workflowId,
      nodeId: r.nodeId,
      nodeName: r.nodeName,
      durations: [],
      recovered: [],
      runs: 0,
    };
    s.runs++;
    s.durations.push(Math.max(0, r.finishedAt - r.startedAt));
    const lineage = e.parentExecutionId && byId.has(e.parentExecutionId) ? e.parentExecutionId : e.id;
    const attemptKey = `${lineage}\u0000${r.nodeId}\u0000${r.runIndex}`;
    if (r.status === 'failed') failedBefore.set(attemptKey, (failedBefore.get(attemptKey) ?? 0) + 1);
    else if (r.status === 'succeeded' && (r.attempts > 1 || failedBefore.has(attemptKey))) s.recovered.push(e.id);
    stats.set(key, s);
  }
  const withType = (s: NodeStat) => {
    const nodeType = typeOf(s.workflowId, s.nodeId);
    return { workflowId: s.workflowId, nodeId: s.nodeId, nodeName: s.nodeName, ...(nodeType ? { nodeType } : {}) };
  };
  const flaky = [...stats.values()]
    .filter((s) => s.recovered.length)
    .map((s) => ({
      ...withType(s),
      recovered: s.recovered.length,
      runs: s.runs,
      rate: Math.round((s.recovered.length / s.runs) * 1000) / 1000,
      executionIds: s.recovered.slice(-5).reverse(),
      links: [...execLinks(s.recovered.slice(-5).reverse()), series('retries', s.workflowId, s.nodeId)],
    }))
    .sort((a, b) => b.recovered - a.recovered || b.rate - a.rate)
    .slice(0, limit);

  const slowest = (s: NodeStat) => {
    const runs = ordered.filter(
      (r) => r.nodeId === s.nodeId && byId.get(r.executionId)?.workflowId === s.workflowId && r.status !== 'waiting',
    );
    return runs
      .sort((a, b) => b.finishedAt - b.startedAt - (a.finishedAt - a.startedAt))
      .slice(0, 5)
      .map((r) => r.executionId);
  };
  const slow = [...stats.values()]
    .filter((s) => s.durations.length >= (input.minRuns ?? 3))
    .map((s) => {
      const sorted = [...s.durations].sort((a, b) => a - b);
      return { s, p50Ms: q(sorted, 0.5), p95Ms: q(sorted, 0.95), maxMs: sorted.at(-1) ?? 0 };
    })
    .sort((a, b) => b.p95Ms - a.p95Ms)
    .slice(0, limit)
    .map(({ s, ...t }) => {
      const ids = slowest(s);
      return {
        ...withType(s),
        runs: s.runs,
        ...t,
        executionIds: ids,
        links: [...execLinks(ids), series('p95Ms', s.workflowId, s.nodeId)],
      };
    });

  const totalMs = [...stats.values()].reduce((sum, s) => sum + s.durations.reduce((a, b) => a + b, 0), 0);
  const perSecond = input.pricing?.perComputeSecond ?? 0;
  const costDrivers = [...stats.values()]
    .map((s) => {
      const computeMs = s.durations.reduce((a, b) => a + b, 0);
      const nodeType = typeOf(s.workflowId, s.nodeId);
      const perCall = (nodeType && input.pricing?.perCall?.[nodeType]) || 0;
      const ids = slowest(s);
      return {
        ...withType(s),
        runs: s.runs,
        computeMs,
        share: totalMs ? Math.round((computeMs / totalMs) * 1000) / 1000 : 0,
        cost: Math.round(((computeMs / 1000) * perSecond + s.runs * perCall) * 1e6) / 1e6,
        executionIds: ids,
        links: [...execLinks(ids), series('avgMs', s.workflowId, s.nodeId)],
      };
    })
    .sort((a, b) => b.cost - a.cost || b.computeMs - a.computeMs)
    .slice(0, limit);

  return {
    period: {
      from: executions.length ? from : 0,
      to: executions.length ? to : 0,
      executions: executions.length,
      failed: failedExecs.length,
    },
    failures,
    flaky,
    slow,
    costDrivers,
  };
}
