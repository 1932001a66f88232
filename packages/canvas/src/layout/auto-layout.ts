import type { Workflow } from '@weft/engine';
import type { Move } from '../history/workflow-edits.js';
import type { CanvasGraph } from '../model/canvas-graph.js';

/** Options for {@link autoLayout}. */
export interface AutoLayoutOptions {
  /** Flow direction (default left to right). */
  direction?: 'LR' | 'TB';
  /** Gap between ranks (default 80). */
  rankGap?: number;
  /** Gap between nodes of one rank (default 40). */
  nodeGap?: number;
  /** Only these node ids move; the others keep their place but still shape the layout. */
  only?: ReadonlySet<string>;
}

/**
 * Lays the workflow's nodes out as a layered graph with dagre, imported on first use so it stays
 * out of the main bundle. Returns the moves to apply (as one undo step); sticky notes stay put.
 *
 * @example
 * ```ts
 * const moves = await autoLayout(graph);
 * wf = history.execute(wf, workflowEdits.move(moves));
 * ```
 */
export async function autoLayout(graph: CanvasGraph, options: AutoLayoutOptions = {}): Promise<Move[]> {
  const { default: dagre } = await import('@dagrejs/dagre');
  const g = new dagre.graphlib.Graph();
  g.setGraph({
    rankdir: options.direction ?? 'LR',
    ranksep: options.rankGap ?? 80,
    nodesep: options.nodeGap ?? 40,
  });
  g.setDefaultEdgeLabel(() => ({}));
  const wf: Workflow = graph.workflow;
  for (const node of wf.nodes) {
    const internal = graph.lookup.get(node.id);
    g.setNode(node.id, { width: internal?.measured.width ?? 200, height: internal?.measured.height ?? 60 });
  }
  for (const e of graph.edges) g.setEdge(e.connection.source, e.connection.target);
  dagre.layout(g);
  const moves: Move[] = [];
  for (const node of wf.nodes) {
    if (options.only && !options.only.has(node.id)) continue;
    const laid = g.node(node.id) as { x: number; y: number; width: number; height: number } | undefined;
    if (!laid) continue;
    const to: [number, number] = [Math.round(laid.x - laid.width / 2), Math.round(laid.y - laid.height / 2)];
    const from: [number, number] = node.position ? [node.position[0], node.position[1]] : [0, 0];
    if (from[0] !== to[0] || from[1] !== to[1]) moves.push({ id: node.id, from, to });
  }
  return moves;
}
