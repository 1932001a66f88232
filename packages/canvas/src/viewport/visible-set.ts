import type { CanvasGraph, GraphEdge } from '../model/canvas-graph.js';
import { SpatialIndex, type ViewTransform, visibleArea } from './spatial-index.js';

/**
 * Which nodes and edges the canvas draws: those inside the viewport (plus a margin), plus
 * pinned ids (nodes being dragged, the focused node). To keep panning cheap, `update` reports a
 * change only when something that should show is missing, when the graph changed, or when too
 * many nodes that left the view have piled up; nodes that merely scrolled out stay drawn
 * until then. `elements` are the ids among them that get a DOM element: all of them, or, while
 * the LOD layer paints plain boxes, only notes and pinned nodes (see {@link VisibleSet.choose}).
 *
 * @example
 * ```ts
 * const visible = new VisibleSet();
 * if (visible.update(graph, [0, 0, 1], 1200, 800)) host.requestUpdate();
 * visible.nodes; // ids to render, in document order
 * ```
 */
export class VisibleSet {
  nodes: string[] = [];
  edges: GraphEdge[] = [];
  /** Ids among `nodes` rendered as elements. */
  elements: readonly string[] = [];
  #index = new SpatialIndex<string>(400);
  #graph: CanvasGraph | null = null;
  #renderedGraph: CanvasGraph | null = null;

  update(
    graph: CanvasGraph,
    transform: ViewTransform,
    width: number,
    height: number,
    pinned: Iterable<string> = [],
    force = false,
  ): boolean {
    if (this.#graph !== graph) {
      this.#index = new SpatialIndex<string>(400);
      for (const [id, n] of graph.lookup) {
        const p = n.internals.positionAbsolute;
        this.#index.insert(id, { x: p.x, y: p.y, width: n.measured.width ?? 0, height: n.measured.height ?? 0 });
      }
      this.#graph = graph;
    }
    const area = visibleArea(transform, width || 1, height || 1);
    const ids = this.#index.query(area);
    for (const id of pinned) if (graph.lookup.has(id)) ids.add(id);
    const nodes = [...graph.lookup.keys()].filter((id) => ids.has(id));
    const edges = graph.edges.filter((e) => {
      if (ids.has(e.connection.source) || ids.has(e.connection.target)) return true;
      const a = graph.position(e.connection.source);
      const b = graph.position(e.connection.target);
      if (!a || !b) return false;
      return !(
        Math.max(a.x, b.x) + 200 < area.x ||
        Math.min(a.x, b.x) > area.x + area.width ||
        Math.max(a.y, b.y) + 100 < area.y ||
        Math.min(a.y, b.y) > area.y + area.height
      );
    });
    const rendered = new Set(this.nodes);
    const renderedEdges = new Set(this.edges);
    const missing = nodes.some((id) => !rendered.has(id)) || edges.some((e) => !renderedEdges.has(e));
    const stale = this.nodes.length > nodes.length * 1.5 + 50 || this.edges.length > edges.length * 1.5 + 50;
    if (!missing && !stale && !force && this.#renderedGraph === graph) return false;
    this.nodes = nodes;
    this.edges = edges;
    this.#renderedGraph = graph;
    return true;
  }

  /**
   * Picks the ids that get an element: every drawn id, or with `boxesOnly` (the LOD layer paints
   * the node boxes) only notes and `pinned` nodes. A thousand transparent boxes cost a first
   * frame of style, layout and paint for nothing the user sees; one under the pointer (see
   * {@link VisibleSet.hit}) or about to take focus is enough. True when the elements changed.
   */
  choose(boxesOnly: boolean, pinned: ReadonlySet<string>): boolean {
    const next = boxesOnly ? this.nodes.filter((id) => id.startsWith('note:') || pinned.has(id)) : this.nodes;
    const same = next.length === this.elements.length && next.every((id, i) => id === this.elements[i]);
    if (!same) this.elements = next;
    return !same;
  }

  /** The topmost drawn node at a flow point (of the graph last given to `update`), if any. */
  hit(point: { x: number; y: number }): string | undefined {
    const under = this.#index.query({ x: point.x, y: point.y, width: 0, height: 0 });
    let top: string | undefined;
    for (const id of this.nodes) if (under.has(id)) top = id;
    return top;
  }
}
