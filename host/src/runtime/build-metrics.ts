import type { EventHub, JobQueue, WorkflowEngine, WorkflowStore } from '@weft/engine';
import type { IsolateSandbox } from '@weft/sandbox';
import type { Subscription } from 'rxjs';
import { HostMetrics } from './host-metrics.js';

/**
 * Prometheus metrics (queue depth, sandbox pool, running executions, subscribers, node durations
 * by node type), fed by the engine's events (the engine makes its OpenTelemetry spans itself). Node types are looked up
 * once per workflow and cached (up to 5000 workflows).
 *
 * @example
 * ```ts
 * const { metrics, feed } = buildMetrics({ engine, queue, sandbox, hub, workflows: storage.workflows });
 * await metrics.registry.metrics();
 * feed.unsubscribe();
 * ```
 */
export function buildMetrics(options: {
  engine: WorkflowEngine;
  queue: JobQueue;
  sandbox: IsolateSandbox;
  hub: EventHub;
  workflows: WorkflowStore;
}): { metrics: HostMetrics; feed: Subscription } {
  const { engine, sandbox, hub, workflows } = options;
  const metrics = new HostMetrics({
    queue: options.queue,
    sandboxStats: () => sandbox.stats(),
    running: () => engine.runningCount,
    subscribers: () => hub.subscriberCount,
  });
  const nodeTypes = new Map<string, Map<string, string>>();
  const typeOf = async (workspaceId: string, workflowId: string, nodeId: string): Promise<string | undefined> => {
    const k = `${workspaceId}/${workflowId}`;
    let m = nodeTypes.get(k);
    if (!m) {
      const stored = await workflows.get(workspaceId, workflowId).catch(() => undefined);
      m = new Map((stored?.workflow.nodes ?? []).map((n) => [n.id, n.type]));
      if (nodeTypes.size > 5000) nodeTypes.clear();
      nodeTypes.set(k, m);
    }
    return m.get(nodeId);
  };
  const feed = engine.events$.subscribe((e) => {
    if (e.type === 'node:executed') {
      const cached = nodeTypes.get(`${e.workspaceId}/${e.workflowId}`)?.get(e.nodeId);
      if (cached) metrics.observeEvent(e, cached);
      else void typeOf(e.workspaceId, e.workflowId, e.nodeId).then((t) => metrics.observeEvent(e, t));
    } else metrics.observeEvent(e);
  });
  return { metrics, feed };
}
