import { type InternalNodeBase, type NodeDragItem, type Transform, XYDrag, type XYDragInstance } from '@xyflow/system';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What {@link DragController} reads from its host. */
export interface DragOptions {
  /** The element holding the rendered node elements (`.weft-flow__node[data-id]`). */
  container(): HTMLElement | null | undefined;
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
 * XYDrag for the nodes, created on demand: a node gets its instance when a pointer first goes
 * down on it (a capture listener on the container runs before the node's own listeners, so
 * d3-drag, which XYDrag attaches to the node, still sees that same press). Rendering a thousand
 * nodes therefore creates no drag instances; instances whose element left the DOM (nodes come
 * and go as the viewport moves) are destroyed after the next host update, all on disconnect.
 *
 * @example
 * ```ts
 * new DragController(this, { container: () => this.renderRoot.querySelector('.weft-flow__viewport'), ... });
 * ```
 */
export class DragController implements ReactiveController {
  readonly #instances = new Map<HTMLElement, XYDragInstance>();
  #enabled = true;
  #container: HTMLElement | null = null;
  readonly #onPress = (e: Event) => this.#ensure(e);

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
    const container = this.options.container() ?? null;
    if (container !== this.#container) {
      this.#detach();
      this.#container = container;
      container?.addEventListener('mousedown', this.#onPress, { capture: true });
      container?.addEventListener('touchstart', this.#onPress, { capture: true, passive: true });
    }
    for (const [el, instance] of this.#instances) {
      if (!el.isConnected) {
        instance.destroy();
        this.#instances.delete(el);
      }
    }
  }

  #ensure(e: Event): void {
    if (!this.#enabled || !this.options.enabled()) return;
    const el = (e.target as Element | null)?.closest?.<HTMLElement>('.weft-flow__node');
    const id = el?.dataset.id;
    if (!el || !id || this.#instances.has(el)) return;
    const instance = XYDrag({
      getStoreItems: () => this.#store(),
      onNodeMouseDown: (nodeId) => this.options.onNodeGrab(nodeId),
      onDragStart: (_e, items) => this.options.onDragStart(items),
      onDragStop: (_e, items) => this.options.onDragStop(items),
    });
    instance.update({ domNode: el, nodeId: id, isSelectable: true, noDragClassName: 'nodrag', nodeClickDistance: 2 });
    this.#instances.set(el, instance);
  }

  #detach(): void {
    this.#container?.removeEventListener('mousedown', this.#onPress, { capture: true });
    this.#container?.removeEventListener('touchstart', this.#onPress, { capture: true });
    this.#container = null;
  }

  hostDisconnected(): void {
    this.#detach();
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
