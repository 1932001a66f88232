import type { InternalNodeBase, Transform } from '@xyflow/system';
import { svg, type TemplateResult } from 'lit';
import type { Rect } from '../model/node-geometry.js';

/** Minimap size in pixels. */
export const MINIMAP_SIZE = { width: 180, height: 110 };

/** The flow area the minimap shows: every node plus the current viewport (when given). */
export function minimapBounds(lookup: ReadonlyMap<string, InternalNodeBase>, view?: Rect): Rect {
  let x0 = view ? view.x : Number.POSITIVE_INFINITY;
  let y0 = view ? view.y : Number.POSITIVE_INFINITY;
  let x1 = view ? view.x + view.width : Number.NEGATIVE_INFINITY;
  let y1 = view ? view.y + view.height : Number.NEGATIVE_INFINITY;
  for (const n of lookup.values()) {
    const p = n.internals.positionAbsolute;
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x + (n.measured.width ?? 0));
    y1 = Math.max(y1, p.y + (n.measured.height ?? 0));
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Flow units per minimap pixel for `bounds`. */
export function minimapScale(bounds: Rect): number {
  return Math.max(bounds.width / MINIMAP_SIZE.width, bounds.height / MINIMAP_SIZE.height, 1e-6);
}

/** The viewport mask path: the whole minimap with a hole where the viewport is. */
export function minimapMask(bounds: Rect, view: Rect, scale: number): string {
  const w = MINIMAP_SIZE.width * scale;
  const h = MINIMAP_SIZE.height * scale;
  const ox = bounds.x - (w - bounds.width) / 2;
  const oy = bounds.y - (h - bounds.height) / 2;
  return `M${ox - 10},${oy - 10}h${w + 20}v${h + 20}h${-w - 20}z M${view.x},${view.y}h${view.width}v${view.height}h${-view.width}z`;
}

/** The visible flow rectangle for a transform and pane size. */
export function viewRect(t: Transform, width: number, height: number): Rect {
  return { x: -t[0] / t[2], y: -t[1] / t[2], width: width / t[2], height: height / t[2] };
}

/**
 * One rectangle per node, for the minimap. Wrap it in `guard([lookup], ...)`: it only needs to
 * change when the graph does, while the viewport mask is updated on every pan.
 *
 * @example
 * ```ts
 * html`<svg class="minimap">${guard([lookup], () => renderMinimapNodes(lookup))}<path class="mask"></path></svg>`;
 * ```
 */
export function renderMinimapNodes(lookup: ReadonlyMap<string, InternalNodeBase>): TemplateResult {
  // One path for all nodes: the viewBox changes on every pan frame, and each element inside is laid out again.
  let d = '';
  for (const n of lookup.values()) {
    const p = n.internals.positionAbsolute;
    d += `M${p.x} ${p.y}h${n.measured.width ?? 0}v${n.measured.height ?? 0}h${-(n.measured.width ?? 0)}z`;
  }
  return svg`<path class="node" d=${d}></path>`;
}

/** The viewBox attribute that centres `bounds` at `scale`. */
export function minimapViewBox(bounds: Rect, scale: number): string {
  const w = MINIMAP_SIZE.width * scale;
  const h = MINIMAP_SIZE.height * scale;
  return `${bounds.x - (w - bounds.width) / 2} ${bounds.y - (h - bounds.height) / 2} ${w} ${h}`;
}
