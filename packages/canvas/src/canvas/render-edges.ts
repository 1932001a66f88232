import { getBezierPath, getSmoothStepPath, Position } from '@xyflow/system';
import { svg, type TemplateResult } from 'lit';
import type { CanvasGraph, GraphEdge } from '../model/canvas-graph.js';

/** How edges are drawn. */
export type EdgeStyle = 'bezier' | 'smoothstep';

/** Options for {@link renderEdges}. */
export interface EdgeRenderContext {
  style: EdgeStyle;
  selected: ReadonlySet<string>;
  /** Items emitted per `nodeId:port` in the last run. */
  portItems: ReadonlyMap<string, number>;
}

/** The SVG path and label position of an edge between two points. */
export function edgePath(
  style: EdgeStyle,
  from: { x: number; y: number },
  to: { x: number; y: number },
): [string, number, number] {
  const params = {
    sourceX: from.x,
    sourceY: from.y,
    sourcePosition: Position.Right,
    targetX: to.x,
    targetY: to.y,
    targetPosition: Position.Left,
  };
  const [path, lx, ly] =
    style === 'smoothstep' ? getSmoothStepPath({ ...params, borderRadius: 8 }) : getBezierPath(params);
  return [path, lx, ly];
}

/**
 * SVG for the given edges: the visible path and a wide invisible one to click; and apart from
 * them the item counts of the last run, drawn in a layer above the nodes so a short edge's
 * count is not hidden under them (port names are on the nodes). Zoomed far out the canvas
 * paints edges in its LOD layer instead (see `LodLayer`).
 *
 * @example
 * ```ts
 * const { edges, labels } = renderEdges(graph, visibleEdges, ctx);
 * html`<svg class="edges">${edges}</svg>${nodes}<svg class="edges labels">${labels}</svg>`;
 * ```
 */
export function renderEdges(
  graph: CanvasGraph,
  edges: readonly GraphEdge[],
  ctx: EdgeRenderContext,
): { edges: TemplateResult[]; labels: TemplateResult[] } {
  const out: TemplateResult[] = [];
  const labels: TemplateResult[] = [];
  for (const e of edges) {
    const from = graph.handlePoint(e.connection.source, 'source', e.sourcePort);
    const to = graph.handlePoint(e.connection.target, 'target', e.targetPort);
    if (!from || !to) continue;
    const [d, lx, ly] = edgePath(ctx.style, from, to);
    const count = ctx.portItems.get(`${e.connection.source}:${e.sourcePort}`);
    const source = graph.items.get(e.connection.source);
    const target = graph.items.get(e.connection.target);
    const sourceName = source?.kind === 'node' ? source.node.name : e.connection.source;
    const targetName = target?.kind === 'node' ? target.node.name : e.connection.target;
    const countText = count === undefined ? '' : `${count} item${count === 1 ? '' : 's'}`;
    out.push(svg`<g
      class="edge${ctx.selected.has(e.id) ? ' selected' : ''}${count !== undefined ? ' done' : ''}"
      data-edge=${e.id}
      tabindex="0"
      role="button"
      aria-label=${`Connection from ${sourceName} ${e.sourcePort} to ${targetName} ${e.targetPort}${countText ? `, ${countText}` : ''}`}
    >
      <path class="hit" d=${d}></path>
      <path class="line" d=${d} part="edge"></path>
    </g>`);
    if (countText) labels.push(svg`<text class="count" x=${lx} y=${ly + 4} text-anchor="middle">${countText}</text>`);
  }
  return { edges: out, labels };
}
