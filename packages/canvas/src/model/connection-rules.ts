import type { Connection, NodeTypeDescription } from '@weft/engine';
import type { CanvasGraph } from './canvas-graph.js';
import { edgeId } from './edge-id.js';
import { declaredPorts } from './node-ports.js';

/** Why a connection was refused, or `null` when it is allowed. */
export type ConnectionProblem = string | null;

/**
 * Checks a new connection against the graph: both ends exist and are workflow nodes, the source
 * port is an output and the target port an input of the right nodes, the node does not connect to
 * itself, and the same edge does not exist yet.
 *
 * @example
 * ```ts
 * connectionProblem(graph, { source: 'a', target: 'b' }); // null when allowed
 * connectionProblem(graph, { source: 'a', target: 'a' }); // 'A node cannot connect to itself'
 * ```
 */
export function connectionProblem(graph: CanvasGraph, c: Connection): ConnectionProblem {
  const source = graph.items.get(c.source);
  const target = graph.items.get(c.target);
  if (source?.kind !== 'node') return 'Unknown source node';
  if (target?.kind !== 'node') return 'Unknown target node';
  if (c.source === c.target) return 'A node cannot connect to itself';
  const sourcePort = c.sourcePort ?? 'main';
  const targetPort = c.targetPort ?? 'main';
  if (!source.ports.outputs.some((p) => p.name === sourcePort))
    return `${source.node.name} has no output "${sourcePort}"`;
  if (!target.ports.inputs.some((p) => p.name === targetPort))
    return `${target.node.name} has no input "${targetPort}"`;
  const id = edgeId(c);
  if (graph.edges.some((e) => e.id === id)) return 'These ports are already connected';
  return null;
}

/**
 * Node types that can sit at the open end of a connection being drawn: types with an input when
 * the connection starts at an output, types with an output when it starts at an input.
 *
 * @example
 * ```ts
 * compatibleNodeTypes(types, 'source').map((t) => t.type); // every type that has an input
 * ```
 */
export function compatibleNodeTypes<T extends NodeTypeDescription>(
  types: readonly T[],
  from: 'source' | 'target',
): T[] {
  return types.filter((t) => {
    const ports = declaredPorts(t);
    return (from === 'source' ? ports.inputs : ports.outputs).length > 0;
  });
}
