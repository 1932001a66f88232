import type { NodeRunRecord } from '../model/execution.js';
import type { PortItems } from '../model/item.js';
import type { CompiledNode, CompiledWorkflow } from './compiled-workflow.js';

/**
 * Outputs of a previous execution that a re-run starting at `from` can reuse: those of nodes not
 * downstream of `from` that succeeded exactly once (loop bodies always run again). Keyed by node
 * name, for {@link DebugOptions.reuse}.
 */
export function reusableOutputs(
  compiled: CompiledWorkflow,
  from: CompiledNode,
  runs: NodeRunRecord[],
): Record<string, PortItems> {
  const downstream = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const n = stack.pop() as CompiledNode;
    if (downstream.has(n.node.id)) continue;
    downstream.add(n.node.id);
    for (const edges of n.outgoing.values()) for (const e of edges) stack.push(e.to);
  }
  const count = new Map<string, number>();
  for (const r of runs) count.set(r.nodeId, (count.get(r.nodeId) ?? 0) + 1);
  const reuse: Record<string, PortItems> = {};
  for (const r of runs) {
    if (
      r.status === 'succeeded' &&
      r.output &&
      !downstream.has(r.nodeId) &&
      count.get(r.nodeId) === 1 &&
      compiled.byId.has(r.nodeId)
    ) {
      reuse[r.nodeName] = r.output;
    }
  }
  return reuse;
}
