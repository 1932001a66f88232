import type { Workflow } from '@weft/engine';

/** A validation problem as `validateWorkflow` reports it. */
export interface WorkflowProblem {
  /** JSON pointer into the workflow document, e.g. `/nodes/2/parameters/url`. */
  path: string;
  message: string;
  nodeId?: string;
}

/**
 * Groups problems by the node they concern: the problem's `nodeId`, or the node its JSON pointer
 * points into (`/nodes/<index>/...`). Problems about the whole workflow go under `''`.
 *
 * @example
 * ```ts
 * problemsByNode(workflow, [{ path: '/nodes/0/parameters/url', message: 'Required' }]).get(workflow.nodes[0].id);
 * ```
 */
export function problemsByNode(
  workflow: Workflow,
  problems: readonly WorkflowProblem[],
): Map<string, WorkflowProblem[]> {
  const out = new Map<string, WorkflowProblem[]>();
  for (const p of problems) {
    let id = p.nodeId;
    if (id === undefined) {
      const m = /^\/nodes\/(\d+)(?:\/|$)/.exec(p.path);
      id = m ? workflow.nodes[Number(m[1])]?.id : undefined;
    }
    const key = id ?? '';
    const list = out.get(key) ?? [];
    list.push(p);
    out.set(key, list);
  }
  return out;
}
