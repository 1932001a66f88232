import { html, type ReactiveController, type TemplateResult } from 'lit';
import { DragController } from '../controllers/drag-controller.js';
import { HandleController } from '../controllers/handle-controller.js';
import { connectionProblem } from '../model/connection-rules.js';
import { NODE_WIDTH, portOffset } from '../model/node-geometry.js';
import { NODE_TYPE_MIME, type NodeTypeSelectDetail } from '../palette/weft-node-palette.js';
import { intersects } from '../viewport/spatial-index.js';
import type { PaletteState, WeftCanvas } from './weft-canvas.js';

function isEditable(e: Event): boolean {
  const t = e.composedPath()[0] as HTMLElement | undefined;
  return !!t && (['INPUT', 'TEXTAREA', 'SELECT'].includes(t.nodeName) || t.isContentEditable);
}

/**
 * Everything the user does to a `<weft-canvas>` with pointer and keyboard: node dragging
 * (DragController), connecting (HandleController), clicks, marquee selection, drops from the
 * palette, the clipboard, keyboard shortcuts and the node palette popover.
 *
 * @example
 * ```ts
 * canvas.input.openPalette(); // as if Tab was pressed on the canvas
 * ```
 */
export class CanvasInput implements ReactiveController {
  readonly drag: DragController;
  readonly handles: HandleController;
  #multi = false;
  #marqueeStart: { x: number; y: number; additive: Set<string> } | null = null;

  constructor(private readonly host: WeftCanvas) {
    host.addController(this);
    const view = () => host.view;
    this.drag = new DragController(host, {
      container: () => host.renderRoot.querySelector<HTMLElement>('.weft-flow__viewport'),
      pane: () => view().pane,
      lookup: () => host.editor.graph.lookup,
      transform: () => view().transform,
      enabled: () => !host.readonly,
      snapGrid: () => (host.snapToGrid ? [host.gridSize, host.gridSize] : null),
      multiSelectionActive: () => this.#multi,
      panBy: (d) => view().panBy(d),
      onNodeGrab: (id) => {
        if (!host.editor.selected.has(id)) host.commit(this.#multi ? host.editor.toggle(id) : host.editor.select([id]));
      },
      onPositions: (items, dragging) => host.dragPositions(items, dragging),
      onDragStart: () => {},
      onDragStop: () => {},
    });
    this.handles = new HandleController(host, {
      pane: () => view().pane,
      listenOn: () => host.renderRoot.querySelector<HTMLElement>('.weft-flow__viewport'),
      lookup: () => host.editor.graph.lookup,
      transform: () => view().transform,
      flowId: host.flowId,
      enabled: () => !host.readonly,
      panBy: (d) => view().panBy(d),
      isValid: (c) => this.#problem(c.source, c.sourceHandle, c.target, c.targetHandle) === null,
      onConnect: (c) => this.connectPorts(c.source, c.sourceHandle, c.target, c.targetHandle),
      onDropOnPane: (from, at) => {
        const p = view().toFlow(at);
        const x = from.type === 'target' ? p.x - NODE_WIDTH : p.x;
        this.openPalette({
          screen: at,
          flow: [Math.round(x), Math.round(p.y - portOffset('input', 0).y)],
          from: { nodeId: from.nodeId, port: from.handleId, handle: from.type },
        });
      },
      onChange: (c) => {
        if (!c) this.#connectionEndedAt = performance.now();
        view().panZoom.sync();
        host.requestUpdate();
      },
    });
  }

  hostConnected(): void {
    this.host.addEventListener('copy', this.#onCopy);
    this.host.addEventListener('cut', this.#onCut);
    this.host.addEventListener('paste', this.#onPaste);
  }

  hostUpdated(): void {
    const pane = this.host.view.pane;
    if (pane && !pane.dataset.bound) {
      pane.dataset.bound = '1';
      pane.addEventListener('mousedown', this.#onPaneMouseDown, { capture: true });
    }
  }

  hostDisconnected(): void {
    this.host.removeEventListener('copy', this.#onCopy);
    this.host.removeEventListener('cut', this.#onCut);
    this.host.removeEventListener('paste', this.#onPaste);
  }

  #problem(source: string, sourcePort: string | null, target: string, targetPort: string | null): string | null {
    return connectionProblem(this.host.editor.graph, {
      source,
      sourcePort: sourcePort ?? 'main',
      target,
      targetPort: targetPort ?? 'main',
    });
  }

  /** Connects two ports, or announces why that is not allowed. */
  connectPorts(source: string, sourcePort: string | null, target: string, targetPort: string | null): void {
    const result = this.host.editor.connect({
      source,
      sourcePort: sourcePort ?? 'main',
      target,
      targetPort: targetPort ?? 'main',
    });
    if (result.change) this.host.commit(result.change);
    else if (result.problem) this.host.announcement = result.problem;
  }

  #onPaneMouseDown = (e: MouseEvent): void => {
    this.#multi = e.shiftKey || e.metaKey || e.ctrlKey;
    const target = e.target as Element;
    if (!e.shiftKey || e.button !== 0 || target.closest('.weft-flow__node, .weft-flow__handle, .edge')) return;
    e.stopImmediatePropagation();
    e.preventDefault();
    this.host.view.pane?.focus();
    const r = this.host.view.pane!.getBoundingClientRect();
    this.#marqueeStart = { x: e.clientX - r.left, y: e.clientY - r.top, additive: new Set(this.host.editor.selected) };
    this.host.marquee = { x: this.#marqueeStart.x, y: this.#marqueeStart.y, width: 0, height: 0 };
    window.addEventListener('mousemove', this.#onMarqueeMove);
    window.addEventListener('mouseup', this.#onMarqueeEnd, { once: true });
  };

  #onMarqueeMove = (e: MouseEvent): void => {
    const start = this.#marqueeStart;
    if (!start) return;
    const r = this.host.view.pane!.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    const m = {
      x: Math.min(x, start.x),
      y: Math.min(y, start.y),
      width: Math.abs(x - start.x),
      height: Math.abs(y - start.y),
    };
    this.host.marquee = m;
    const a = this.host.view.toFlow({ x: m.x, y: m.y });
    const k = this.host.view.transform[2];
    const area = { x: a.x, y: a.y, width: m.width / k, height: m.height / k };
    const ids = new Set(start.additive);
    for (const [id, n] of this.host.editor.graph.lookup) {
      const p = n.internals.positionAbsolute;
      if (intersects(area, { x: p.x, y: p.y, width: n.measured.width ?? 0, height: n.measured.height ?? 0 }))
        ids.add(id);
    }
    this.host.commit(this.host.editor.select(ids));
  };

  #onMarqueeEnd = (): void => {
    window.removeEventListener('mousemove', this.#onMarqueeMove);
    this.#marqueeStart = null;
    this.host.marquee = null;
    this.#suppressClick = true;
  };

  #suppressClick = false;
  #connectionEndedAt = Number.NEGATIVE_INFINITY;

  onClick = (e: MouseEvent): void => {
    if (this.#suppressClick || performance.now() - this.#connectionEndedAt < 100) {
      this.#suppressClick = false;
      return;
    }
    const target = e.target as Element;
    const multi = e.shiftKey || e.metaKey || e.ctrlKey;
    const nodeEl = target.closest<HTMLElement>('.weft-flow__node');
    const edgeEl = target.closest<SVGGElement>('[data-edge]');
    const ed = this.host.editor;
    const add = target.closest<HTMLElement>('.port-add');
    if (add?.dataset.nodeid) {
      this.openPaletteAfter(add.dataset.nodeid, add.dataset.port ?? 'main');
      return;
    }
    if (target.closest('.weft-flow__handle')) return;
    const id = nodeEl?.dataset.id ?? this.#paintedNodeAt(e);
    if (id) {
      this.host.commit(multi ? ed.toggle(id) : ed.select([id]));
    } else if (edgeEl?.dataset.edge) {
      const id = edgeEl.dataset.edge;
      this.host.commit(multi ? ed.toggle(id, true) : ed.select([], [id]));
    } else {
      this.host.palette = null;
      this.host.view.pane?.focus();
      this.host.commit(ed.select([]));
    }
  };

  /**
   * While the LOD layer paints the boxes, the node under the pointer gets an element before it is
   * pressed, so dragging, clicking and double-clicking it work as on any node.
   */
  onPointerMove = (e: PointerEvent): void => {
    if (e.buttons !== 0 || !this.host.view.plain) return;
    const id = this.host.nodeAt(e.clientX, e.clientY);
    if (id) void this.host.keepElement(id, 'hover');
  };

  /** A node painted by the LOD layer (no element of its own) at a pane click, e.g. a tap without hover. */
  #paintedNodeAt(e: MouseEvent): string | undefined {
    if (!this.host.view.plain || (e.target as Element).closest('.weft-flow__viewport')) return undefined;
    return this.host.nodeAt(e.clientX, e.clientY);
  }

  onDoubleClick = (e: MouseEvent): void => {
    const id = (e.target as Element).closest<HTMLElement>('.weft-flow__node')?.dataset.id ?? this.#paintedNodeAt(e);
    if (id?.startsWith('note:')) {
      if (!this.host.readonly) {
        this.host.editingNote = id;
        void this.host.updateComplete.then(() =>
          this.host.renderRoot.querySelector<HTMLTextAreaElement>('.note textarea')?.focus(),
        );
      }
    } else if (id) this.openNode(id);
    else if (!id && !this.host.readonly) {
      const p = this.host.view.clientToFlow(e.clientX, e.clientY);
      const r = this.host.view.pane!.getBoundingClientRect();
      this.openPalette({
        screen: { x: e.clientX - r.left, y: e.clientY - r.top },
        flow: [Math.round(p.x), Math.round(p.y)],
      });
    }
  };

  /** Selects a node and fires `node-open`. */
  openNode(id: string): void {
    this.host.commit(this.host.editor.select([id]));
    this.host.dispatchEvent(new CustomEvent('node-open', { detail: { nodeId: id }, bubbles: true, composed: true }));
  }

  onFocusIn = (): void => {
    this.#multi = false;
  };

  onDragOver = (e: DragEvent): void => {
    if (this.host.readonly || !e.dataTransfer?.types.includes(NODE_TYPE_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  };

  onDrop = (e: DragEvent): void => {
    const type = e.dataTransfer?.getData(NODE_TYPE_MIME);
    if (!type || this.host.readonly) return;
    e.preventDefault();
    const p = this.host.view.clientToFlow(e.clientX, e.clientY);
    this.host.addNode(type, [Math.round(p.x - 100), Math.round(p.y - 20)]);
  };

  /**
   * Opens the node palette (at the viewport centre unless told where). Without a place (+ Node,
   * Tab) it first fires a cancelable `palette-request`: a page with a palette of its own cancels
   * it and shows that one instead, so there are never two.
   */
  openPalette(state?: PaletteState): void {
    if (this.host.readonly) return;
    if (!state) {
      const request = new CustomEvent('palette-request', { bubbles: true, composed: true, cancelable: true });
      if (!this.host.dispatchEvent(request)) return;
    }
    const v = this.host.view;
    this.host.palette = state ?? { screen: { x: v.width / 2 - 150, y: 60 }, flow: v.centre() };
    void this.host.updateComplete.then(() =>
      (this.host.renderRoot.querySelector('weft-node-palette') as HTMLElement | null)?.focus(),
    );
  }

  /** The "+" of an output: the palette beside the port; the picked node is placed there and connected. */
  openPaletteAfter(nodeId: string, port: string): void {
    const node = this.host.editor.graph.lookup.get(nodeId);
    const item = this.host.editor.graph.items.get(nodeId);
    if (!node || item?.kind !== 'node') return;
    const index = Math.max(
      0,
      item.ports.outputs.findIndex((p) => p.name === port),
    );
    const { x, y } = node.internals.positionAbsolute;
    const portY = y + portOffset('output', index).y;
    const flow: [number, number] = [Math.round(x + NODE_WIDTH + 80), Math.round(portY - portOffset('input', 0).y)];
    const [tx, ty, k] = this.host.view.transform;
    this.openPalette({
      screen: { x: (x + NODE_WIDTH + 40) * k + tx, y: portY * k + ty },
      flow,
      from: { nodeId, port, handle: 'source' },
    });
  }

  renderPalette(p: PaletteState): TemplateResult {
    const x = Math.max(8, Math.min(p.screen.x, this.host.view.width - 310));
    const y = Math.max(8, Math.min(p.screen.y, this.host.view.height - 200));
    return html`<weft-node-palette
      class="palette-popover nopan nowheel"
      part="palette"
      style=${`left:${x}px;top:${y}px`}
      theme=${this.host.theme}
      .nodeTypes=${this.host.nodeTypes}
      .connectFrom=${p.from?.handle ?? null}
      @node-type-select=${(e: CustomEvent<NodeTypeSelectDetail>) => {
        this.host.palette = null;
        const { node, change } = this.host.editor.addNode(e.detail.type, p.flow, p.from);
        this.host.commit(change);
        void this.host.updateComplete.then(() => this.focusNode(node.id));
      }}
      @palette-close=${() => {
        this.host.palette = null;
        this.host.view.pane?.focus();
      }}
    ></weft-node-palette>`;
  }

  /** Moves keyboard focus to a node's element (rendering it first if needed). */
  focusNode(id: string): void {
    const find = () => this.host.renderRoot.querySelector<HTMLElement>(`.weft-flow__node[data-id="${CSS.escape(id)}"]`);
    const el = find();
    if (el) el.focus();
    else void this.host.keepElement(id, 'focus').then(() => find()?.focus());
  }

  #onCopy = (e: ClipboardEvent): void => {
    if (isEditable(e)) return;
    const text = this.host.editor.copySelection();
    if (!text || !e.clipboardData) return;
    e.clipboardData.setData('text/plain', text);
    e.preventDefault();
    this.host.announcement = `Copied ${this.host.editor.selected.size} items`;
  };

  #onCut = (e: ClipboardEvent): void => {
    this.#onCopy(e);
    if (e.defaultPrevented && !this.host.readonly) this.host.commit(this.host.editor.deleteSelection());
  };

  #onPaste = (e: ClipboardEvent): void => {
    if (isEditable(e) || this.host.readonly) return;
    const text = e.clipboardData?.getData('text/plain');
    if (!text) return;
    const change = this.host.editor.paste(text, { at: this.host.view.centre() });
    if (change) {
      e.preventDefault();
      this.host.commit(change);
    }
  };
}
