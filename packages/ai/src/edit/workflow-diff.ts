import type { Connection, Workflow, WorkflowNode } from '@weft/engine';

/** A node whose parameters or name changed, with the values before and after. */
export interface ChangedNode {
  id: string;
  name: string;
  /** Parameter names whose values differ (added, removed or changed). */
  parameters: string[];
  before: WorkflowNode;
  after: WorkflowNode;
}

/**
 * What an edit changed: nodes added, removed and changed (positions aside), and connections added
 * and removed. Empty arrays everywhere mean the workflows are the same graph.
 *
 * @example
 * ```ts
 * const d: WorkflowDiff = diffWorkflows(before, after);
 * d.addedNodes.map((n) => n.type); // ['slack.sendMessage']
 * ```
 */
export interface WorkflowDiff {
  addedNodes: WorkflowNode[];
  removedNodes: WorkflowNode[];
  changedNodes: ChangedNode[];
  addedConnections: Connection[];
  removedConnections: Connection[];
}

const edgeKey = (c: Connection) =>
  `${c.source}\u0000${c.sourcePort ?? 'main'}\u0000${c.target}\u0000${c.targetPort ?? 'main'}`;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Compares two versions of a workflow by node id and by connection (source, port, target, port).
 *
 * @example
 * ```ts
 * const { addedNodes, removedConnections } = diffWorkflows(stored.workflow, edited.workflow);
 * ```
 */
export function diffWorkflows(before: Workflow, after: Workflow): WorkflowDiff {
  const old = new Map(before.nodes.map((n) => [n.id, n]));
  const now = new Map(after.nodes.map((n) => [n.id, n]));
  const changedNodes: ChangedNode[] = [];
  for (const n of after.nodes) {
    const o = old.get(n.id);
    if (!o) continue;
    const keys = new Set([...Object.keys(o.parameters ?? {}), ...Object.keys(n.parameters ?? {})]);
    const parameters = [...keys].filter((k) => !same(o.parameters?.[k], n.parameters?.[k]));
    if (parameters.length || o.name !== n.name || o.type !== n.type)
      changedNodes.push({ id: n.id, name: n.name, parameters, before: o, after: n });
  }
  const oldEdges = new Set(before.connections.map(edgeKey));
  const newEdges = new Set(after.connections.map(edgeKey));
  return {
    addedNodes: after.nodes.filter((n) => !old.has(n.id)),
    removedNodes: before.nodes.filter((n) => !now.has(n.id)),
    changedNodes,
    addedConnections: after.connections.filter((c) => !oldEdges.has(edgeKey(c))),
    removedConnections: before.connections.filter((c) => !newEdges.has(edgeKey(c))),
  };
}
