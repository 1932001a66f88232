import type { Workflow } from '@weft/engine';

/** What changed between two workflow versions. */
export interface WorkflowDiff {
  nodes: {
    added: string[];
    removed: string[];
    /** Node id -> names of the changed top-level fields (`parameters`, `position`, ...). */
    changed: Record<string, string[]>;
  };
  connections: { added: string[]; removed: string[] };
  /** Top-level fields other than nodes/connections that differ (`name`, `settings`, ...). */
  fields: string[];
}

const conn = (c: Workflow['connections'][number]) =>
  `${c.source}:${c.sourcePort ?? 'main'} -> ${c.target}:${c.targetPort ?? 'main'}`;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Structural diff of two workflow versions: nodes by id, connections by endpoints, other fields.
 *
 * @example
 * ```ts
 * const d = diffWorkflows(v1.workflow, v2.workflow);
 * console.log(d.nodes.changed); // { prepare: ['parameters'] }
 * ```
 */
export function diffWorkflows(from: Workflow, to: Workflow): WorkflowDiff {
  const a = new Map(from.nodes.map((n) => [n.id, n]));
  const b = new Map(to.nodes.map((n) => [n.id, n]));
  const changed: Record<string, string[]> = {};
  for (const [id, n] of b) {
    const old = a.get(id);
    if (!old) continue;
    const keys = new Set([...Object.keys(old), ...Object.keys(n)]);
    const diff = [...keys].filter((k) => !same((old as Record<string, unknown>)[k], (n as Record<string, unknown>)[k]));
    if (diff.length) changed[id] = diff.sort();
  }
  const ca = new Set((from.connections ?? []).map(conn));
  const cb = new Set((to.connections ?? []).map(conn));
  const skip = new Set(['nodes', 'connections', 'version']);
  const fields = [...new Set([...Object.keys(from), ...Object.keys(to)])]
    .filter((k) => !skip.has(k) && !same((from as Record<string, unknown>)[k], (to as Record<string, unknown>)[k]))
    .sort();
  return {
    nodes: {
      added: [...b.keys()].filter((id) => !a.has(id)),
      removed: [...a.keys()].filter((id) => !b.has(id)),
      changed,
    },
    connections: { added: [...cb].filter((c) => !ca.has(c)), removed: [...ca].filter((c) => !cb.has(c)) },
    fields,
  };
}
