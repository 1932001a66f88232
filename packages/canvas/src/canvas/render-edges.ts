import { getBezierPath, getSmoothStepPath, Position } from '@xyflow/system';
import { nothing, svg, type TemplateResult } from 'lit';
import type { CanvasGraph, GraphEdge } from '../model/canvas-graph.js';

/** How edges are drawn. */
export type EdgeStyle = 'bezier' | 'smoothstep';

/** Options for {@link renderEdges}. */
export interface EdgeRenderContext {
  style: EdgeStyle;
  selected: ReadonlySet<string>;
  /** Items emitted per `nodeId:port` in the last run. */
  portItems: ReadonlyMap<string, number>;
  lod: boolean;
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
 * SVG for the given edges: the visible path, a wide invisible one to click, and labels (the
 * source port when it is not `main`, and the item count of the last run).
 *
 * @example
 * ```ts
 * svg`<svg class="edges">${renderEdges(graph, visibleEdges, ctx)}</svg>`;
 * ```
 */
export function renderEdges(graph: CanvasGraph, edges: readonly GraphEdge[], ctx: EdgeRenderContext): TemplateResult[] {
  const out: TemplateResult[] = [];
  for (const e of edges) {
    const from = graph.handlePoint(e.connection.source, 'source', e.sourcePort);
    const to = graph.handlePoint(e.connection.target, 'target', e.targetPort);
    if (!from || !to) continue;
    const [d, lx, ly] = edgePath(ctx.style, from, to);
    if (ctx.lod) {
      out.push(svg`<g class="edge"><path class="line" d=${d}></path></g>`);
      continue;
    }
    const count = ctx.portItems.get(`${e.connection.source}:${e.sourcePort}`);
    const source = graph.items.get(e.connection.source);
    const target = graph.items.get(e.connection.target);
    const sourceName = source?.kind === 'node' ? source.node.name : e.connection.source;
    const targetName = target?.kind === 'node' ? target.node.name : e.connection.target;
    const label = e.sourcePort !== 'main' ? e.sourcePort : '';
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
      ${label ? svg`<text x=${lx} y=${ly - (countText ? 8 : 0)} text-anchor="middle">${label}</text>` : nothing}
      ${countText ? svg`<text class="count" x=${lx} y=${ly + (label ? 8 : 4)} text-anchor="middle">${countText}</text>` : nothing}
    </g>`);
  }
  return out;
}
