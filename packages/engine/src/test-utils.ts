import type { Connection, Workflow, WorkflowNode } from './index.js';

/** Builds a workflow from compact node and edge lists, for tests. */
export function wf(
  nodes: (Partial<WorkflowNode> & { name: string; type: string })[],
  edges: (string | [string, string, string?, string?])[] = [],
  extra: Partial<Workflow> = {},
): Workflow {
  const full = nodes.map((n) => ({ id: n.name, parameters: {}, ...n }));
  const connections: Connection[] = edges.map((e) => {
    if (typeof e === 'string') {
      const [a, b] = e.split('->').map((s) => s.trim()) as [string, string];
      const [source, sourcePort] = a.split(':') as [string, string?];
      const [target, targetPort] = b.split(':') as [string, string?];
      return { source, target, ...(sourcePort ? { sourcePort } : {}), ...(targetPort ? { targetPort } : {}) };
    }
    const [source, target, sourcePort, targetPort] = e;
    return { source, target, ...(sourcePort ? { sourcePort } : {}), ...(targetPort ? { targetPort } : {}) };
  });
  return { id: 'test', name: 'Test', nodes: full, connections, ...extra };
}

export const T = { name: 'T', type: 'weft.manualTrigger' };

export const items = (...jsons: Record<string, unknown>[]) => jsons.map((json) => ({ json })) as { json: never }[];
