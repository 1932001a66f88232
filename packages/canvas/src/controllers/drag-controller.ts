import { type InternalNodeBase, type NodeDragItem, type Transform, XYDrag, type XYDragInstance } from '@xyflow/system';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What {@link DragController} reads from its host. */
export interface DragOptions {
  /** The rendered node elements (`[data-id]`), queried after each host update. */
  nodeElements(): Iterable<HTMLElement>;
  pane(): Element | null | undefined;
  lookup(): Map<string, InternalNodeBase>;
  transform(): Transform;
  enabled(): boolean;
  snapGrid(): [number, number] | null;
  multiSelectionActive(): boolean;
  panBy(delta: { x: number; y: number }): Promise<boolean>;
  /** A node was grabbed: select it (and keep the selection when it is part of it). */
  onNodeGrab(id: string): void;
  /** Positions changed while dragging (`dragging` true) or at the end (`false`). */
  onPositions(items: Map<string, NodeDragItem | InternalNodeBase>, dragging: boolean): void;
  onDragStart(items: Map<string, NodeDragItem>): void;
  onDragStop(items: Map<string, NodeDragItem>): void;
}

/**
 * One XYDrag per rendered node. Nodes come and go as the viewport moves (only visible nodes are
 * rendered), so after every host update the controller creates instances for new node elements
 * and destroys those whose element left the DOM; all of them are destroyed on disconnect.
 *
 * @example
 * ```ts
 * new DragController(this, { nodeElements: () => this.renderRoot.querySelectorAll('.weft-flow__node'), ... });
 * ```
 */
export class DragController implements ReactiveController {
  readonly #instances = new Map<HTMLElement, XYDragInstance>();
  #enabled = true;

  constructor(
    host: ReactiveControllerHost,
    private readonly options: DragOptions,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const enabled = this.options.enabled();
    if (enabled !== this.#enabled) {
      this.#destroyAll();
      this.#enabled = enabled;
    }
    if (!enabled) return;
    const seen = new Set<HTMLElement>();
    for (const el of this.options.nodeElements()) {
      seen.add(el);
      const id = el.dataset.id;
      if (!id || this.#instances.has(el)) continue;
      const instance = XYDrag({
        getStoreItems: () => this.#store(),
        onNodeMouseDown: (nodeId) => this.options.onNodeGrab(nodeId),
        onDragStart: (_e, items) => this.options.onDragStart(items),
        onDragStop: (_e, items) => this.options.onDragStop(items),
      });
      instance.update({ domNode: el, nodeId: id, isSelectable: true, noDragClassName: 'nodrag', nodeClickDistance: 2 });
      this.#instances.set(el, instance);
    }
    for (const [el, instance] of this.#instances) {
      if (!seen.has(el)) {
        instance.destroy();
        this.#instances.delete(el);
      }
    }
  }

  hostDisconnected(): void {
    this.#destroyAll();
  }

  #destroyAll(): void {
    for (const instance of this.#instances.values()) instance.destroy();
    this.#instances.clear();
  }

  #store() {
    const lookup = this.options.lookup();
    const snap = this.options.snapGrid();
    return {
      nodes: [],
      nodeLookup: lookup,
      edges: [],
      nodeExtent: [
        [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY],
        [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
      ] as [[number, number], [number, number]],
      snapGrid: snap ?? ([15, 15] as [number, number]),
      snapToGrid: snap !== null,
      nodeOrigin: [0, 0] as [number, number],
      multiSelectionActive: this.options.multiSelectionActive(),
      domNode: this.options.pane() ?? null,
      transform: this.options.transform(),
      autoPanOnNodeDrag: true,
      nodesDraggable: true,
      selectNodesOnDrag: true,
      nodeDragThreshold: 1,
      panBy: (delta: { x: number; y: number }) => this.options.panBy(delta),
      unselectNodesAndEdges: () => {},
      updateNodePositions: (items: Map<string, NodeDragItem | InternalNodeBase>, dragging?: boolean) =>
        this.options.onPositions(items, dragging ?? false),
    };
  }
}
