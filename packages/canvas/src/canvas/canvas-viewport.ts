import { getViewportForBounds, pointToRendererPoint, type Transform } from '@xyflow/system';
import { html, type ReactiveController, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { MinimapController } from '../controllers/minimap-controller.js';
import { PanZoomController } from '../controllers/pan-zoom-controller.js';
import { NODE_WIDTH } from '../model/node-geometry.js';
import { type LodColors, LodLayer, lodColors } from './lod-layer.js';
import {
  MINIMAP_SIZE,
  minimapBounds,
  minimapMask,
  minimapScale,
  minimapViewBox,
  renderMinimapNodes,
  viewRect,
} from './render-minimap.js';
import type { WeftCanvas } from './weft-canvas.js';

/** Below this zoom nodes are drawn as plain boxes. */
export const LOD_ZOOM = 0.45;
/** How far the grid layer reaches past the pane on each side (>= the largest grid spacing). */
const GRID_BLEED = 64;
/** Boxes show their icon and name down to this zoom, and while at most {@link LABEL_LIMIT} nodes are in view. */
export const LABEL_ZOOM = 0.2;
/** More boxes in view than this are drawn plain: hundreds of icons and names made zooming crawl. */
export const LABEL_LIMIT = 250;
/** Below this zoom names, icons and labels are drawn larger (a CSS class, no re-render). */
export const COMPACT_ZOOM = 0.75;
/** Horizontal space between a node and one added after it. */
const NEW_NODE_GAP = 80;
/** Space kept between a revealed node and the pane's edges (the toolbar above; controls and minimap below). */
const REVEAL_MARGIN = { x: 70, top: 60, bottom: 130 };

/**
 * The viewport of a `<weft-canvas>`: owns the pan-zoom and minimap controllers, the current
 * transform and pane size, applies transforms straight to the DOM (no re-render per frame) and
 * asks for a render only when the set of visible nodes or the level of detail changes.
 *
 * @example
 * ```ts
 * canvas.view.toFlow({ x: 100, y: 50 }); // pane pixels -> flow coordinates
 * ```
 */
export class CanvasViewport implements ReactiveController {
  transform: Transform = [0, 0, 1];
  width = 0;
  height = 0;
  lod = false;
  /** With `lod`: whether the boxes still carry icon and name. */
  lodLabels = true;
  /** Zoomed out with plain boxes: the LOD layer paints the nodes, and only a few get elements. */
  get plain(): boolean {
    return this.lod && !this.lodLabels;
  }
  pendingFit = true;
  readonly panZoom: PanZoomController;
  readonly minimapController: MinimapController;
  #frame = 0;
  #lodFrame = 0;
  #resize: ResizeObserver | undefined;
  #minimapScale = 1;
  readonly #lodLayer = new LodLayer();
  #lodColors: { theme: string; colors: LodColors } | undefined;
  /** Whether the LOD layer holds a picture (to clear once it is no longer needed). */
  #lodPainted = false;

  constructor(private readonly host: WeftCanvas) {
    host.addController(this);
    this.panZoom = new PanZoomController(host, {
      domNode: () => this.pane,
      minZoom: 0.05,
      maxZoom: 2.5,
      viewport: () => ({ x: this.transform[0], y: this.transform[1], zoom: this.transform[2] }),
      onTransform: (t) => this.#onTransform(t),
      state: () => ({
        userSelectionActive: host.marquee !== null,
        connectionInProgress: host.input?.handles.connection != null,
        panOnScroll: false,
      }),
    });
    this.minimapController = new MinimapController(host, {
      svg: () => host.renderRoot.querySelector<SVGSVGElement>('svg.minimap'),
      panZoom: () => this.panZoom.instance,
      transform: () => this.transform,
      viewScale: () => this.#minimapScale,
      size: () => MINIMAP_SIZE,
      enabled: () => host.minimap,
    });
  }

  get pane(): HTMLDivElement | null {
    return this.host.renderRoot?.querySelector<HTMLDivElement>('.weft-flow__pane') ?? null;
  }

  hostConnected(): void {
    // Re-attached after a disconnect: render again so every controller recreates its xyflow instance.
    if (this.host.hasUpdated) this.host.requestUpdate();
    this.#resize = new ResizeObserver((entries) => {
      const r = entries[0]?.contentRect;
      if (!r) return;
      this.width = r.width;
      this.height = r.height;
      this.refreshVisible(false);
      if (this.pendingFit && this.width > 0) void this.fitView({ maxZoom: 1 });
    });
    this.#resize.observe(this.host);
  }

  hostDisconnected(): void {
    this.#resize?.disconnect();
    cancelAnimationFrame(this.#frame);
    cancelAnimationFrame(this.#lodFrame);
    this.#frame = 0;
    this.#lodFrame = 0;
  }

  /** Called after each render: re-applies the transform to the fresh DOM and repaints the LOD layer with it. */
  afterRender(): void {
    this.#apply();
    this.#paintLod(true);
    if (this.pendingFit && this.width > 0 && this.panZoom.instance) void this.fitView({ maxZoom: 1 });
  }

  /** Pane pixels to flow coordinates. */
  toFlow(p: { x: number; y: number }): { x: number; y: number } {
    return pointToRendererPoint(p, this.transform, false, [1, 1]);
  }

  /** Client coordinates (from a mouse event) to flow coordinates. */
  clientToFlow(clientX: number, clientY: number): { x: number; y: number } {
    const r = this.pane?.getBoundingClientRect();
    return this.toFlow({ x: clientX - (r?.left ?? 0), y: clientY - (r?.top ?? 0) });
  }

  /** The flow point at the centre of the pane, snapped to the grid. */
  centre(): [number, number] {
    const p = this.toFlow({ x: this.width / 2 - 100, y: this.height / 2 - 30 });
    const g = this.host.gridSize || 1;
    return [Math.round(p.x / g) * g, Math.round(p.y / g) * g];
  }

  /**
   * Where a node added without a position goes: right of the one selected node (flows read left
   * to right, as in n8n), else the centre of the pane.
   */
  placeForNew(): [number, number] {
    const ids = [...this.host.editor.selected].filter((id) => !id.startsWith('note:'));
    const from = ids.length === 1 ? this.host.editor.graph.lookup.get(ids[0] as string) : undefined;
    if (!from) return this.centre();
    const p = from.internals.positionAbsolute;
    return [p.x + (from.measured.width ?? NODE_WIDTH) + NEW_NODE_GAP, p.y];
  }

  /** Pans the least needed to show a node at flow point `at` whole, clear of the pane's edge controls. */
  async reveal(at: [number, number], size = { width: NODE_WIDTH, height: 62 }): Promise<void> {
    const [x, y, k] = this.transform;
    const m = REVEAL_MARGIN;
    const left = at[0] * k + x;
    const top = at[1] * k + y;
    const right = left + size.width * k;
    const bottom = top + size.height * k;
    const dx = left < m.x ? m.x - left : right > this.width - m.x ? this.width - m.x - right : 0;
    const dy = top < m.top ? m.top - top : bottom > this.height - m.bottom ? this.height - m.bottom - bottom : 0;
    await this.panBy({ x: dx, y: dy });
  }

  /** Pans by a screen delta (autopan while dragging or connecting). */
  async panBy(delta: { x: number; y: number }): Promise<boolean> {
    const pz = this.panZoom.instance;
    if (!pz || (!delta.x && !delta.y)) return false;
    const [x, y, k] = this.transform;
    await pz.setViewport({ x: x + delta.x, y: y + delta.y, zoom: k });
    return true;
  }

  async fitView(options: { duration?: number; padding?: number; maxZoom?: number } = {}): Promise<void> {
    const pz = this.panZoom.instance;
    if (!pz || this.width === 0) return;
    this.pendingFit = false;
    const lookup = this.host.editor.graph.lookup;
    if (lookup.size === 0) {
      await pz.setViewport({ x: 0, y: 0, zoom: 1 });
      return;
    }
    const bounds = minimapBounds(lookup);
    const v = getViewportForBounds(
      bounds,
      this.width,
      this.height,
      0.05,
      options.maxZoom ?? 1.5,
      options.padding ?? 0.1,
    );
    await pz.setViewport(v, options.duration ? { duration: options.duration } : {});
  }

  /** Schedules a visibility check; `force` re-renders even when the visible set is unchanged. */
  refreshVisible(force: boolean): void {
    if (force) {
      this.host.computeVisible(this.transform, this.width, this.height, true);
      this.host.requestUpdate();
      return;
    }
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      if (this.host.computeVisible(this.transform, this.width, this.height)) this.host.requestUpdate();
    });
  }

  /** Sets the level of detail for the current zoom and rendered nodes; true when it changed. */
  updateLod(): boolean {
    const lod = this.transform[2] < LOD_ZOOM;
    const labels = this.transform[2] >= LABEL_ZOOM && this.host.drawnIds.length <= LABEL_LIMIT;
    const changed = lod !== this.lod || (lod && labels !== this.lodLabels);
    this.lod = lod;
    this.lodLabels = labels;
    return changed;
  }

  /**
   * Before a render of a newly loaded document: fits it now, so the first render is already at
   * the fitted zoom and level of detail instead of drawing the old view first and again after.
   */
  fitBeforeRender(): void {
    if (this.pendingFit && this.width > 0 && this.panZoom.instance) void this.fitView({ maxZoom: 1 });
  }

  #onTransform(t: Transform): void {
    this.transform = t;
    this.#apply();
    this.refreshVisible(false);
    if (this.lod || this.#lodPainted) this.#scheduleLod();
  }

  /** Repaints the LOD layer in the next frame (once, however many transforms arrive before it). */
  #scheduleLod(): void {
    if (this.#lodFrame) return;
    this.#lodFrame = requestAnimationFrame(() => {
      this.#lodFrame = 0;
      this.#paintLod(false);
    });
  }

  /** Paints the LOD layer; `rendered`: after a render, when the scene may have changed (else only the transform did). */
  #paintLod(rendered: boolean): void {
    const canvas = this.host.renderRoot?.querySelector<HTMLCanvasElement>('canvas.lod-layer');
    if (!canvas || (!this.lod && !this.#lodPainted)) return;
    if (rendered || this.#lodPainted !== this.lod) {
      const theme = this.host.theme;
      if (this.#lodColors?.theme !== theme) this.#lodColors = { theme, colors: lodColors(this.host) };
      this.#lodLayer.setScene(this.lod ? this.host.lodScene() : null, this.#lodColors.colors);
    }
    this.#lodLayer.draw(canvas, this.transform, this.width, this.height);
    this.#lodPainted = this.lod;
  }

  #apply(): void {
    const root = this.host.renderRoot;
    if (!root) return;
    const [x, y, k] = this.transform;
    const viewport = root.querySelector<HTMLElement>('.weft-flow__viewport');
    if (viewport) {
      viewport.style.transform = `translate(${x}px,${y}px) scale(${k})`;
      viewport.classList.toggle('compact', k < COMPACT_ZOOM);
    }
    const pane = this.pane;
    if (pane) {
      const g = this.host.gridSize * k;
      // The grid is its own layer, moved by a transform: panning repaints nothing. (It used inherited custom
      // properties on the pane, which restyled every node each frame.) Dots closer than 6 px are left out.
      const grid = pane.querySelector<HTMLElement>('.grid');
      if (grid) {
        const shown = g >= 6;
        grid.style.display = shown ? '' : 'none';
        if (shown) {
          const size = `${g}px ${g}px`;
          if (grid.style.backgroundSize !== size) grid.style.backgroundSize = size;
          grid.style.transform = `translate(${(((x + GRID_BLEED) % g) + g) % g}px,${(((y + GRID_BLEED) % g) + g) % g}px)`;
        }
      }
    }
    const svg = root.querySelector<SVGSVGElement>('svg.minimap');
    if (svg) {
      const view = viewRect(this.transform, this.width, this.height);
      const bounds = minimapBounds(this.host.editor.graph.lookup, view);
      this.#minimapScale = minimapScale(bounds);
      svg.setAttribute('viewBox', minimapViewBox(bounds, this.#minimapScale));
      svg.querySelector('path.mask')?.setAttribute('d', minimapMask(bounds, view, this.#minimapScale));
    }
  }

  /** Selection rectangle style in pane pixels. */
  marqueeStyle(m: { x: number; y: number; width: number; height: number }): string {
    return `left:${m.x}px;top:${m.y}px;width:${m.width}px;height:${m.height}px`;
  }

  renderMinimap(): TemplateResult {
    const view = viewRect(this.transform, this.width, this.height);
    const lookup = this.host.editor.graph.lookup;
    const bounds = minimapBounds(lookup, view);
    this.#minimapScale = minimapScale(bounds);
    return html`<svg
      class="minimap nopan"
      part="minimap"
      role="img"
      aria-label="Minimap: drag to pan, scroll to zoom"
      width=${MINIMAP_SIZE.width}
      height=${MINIMAP_SIZE.height}
      viewBox=${minimapViewBox(bounds, this.#minimapScale)}
    >
      ${guard([lookup], () => renderMinimapNodes(lookup))}
      <path class="mask" d=${minimapMask(bounds, view, this.#minimapScale)}></path>
    </svg>`;
  }

  renderControls(): TemplateResult {
    const h = this.host;
    const history = h.editor.history;
    return html`<div class="controls" part="controls" role="toolbar" aria-label="View controls">
        <button type="button" aria-label="Zoom in" title="Zoom in (+)" @click=${() => h.zoomIn()}>+</button>
        <button type="button" aria-label="Zoom out" title="Zoom out (-)" @click=${() => h.zoomOut()}>−</button>
        <button type="button" aria-label="Fit view" title="Fit view (1)" @click=${() => h.fitView({ duration: 200 })}>⤢</button>
        <button type="button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" aria-pressed=${h.helpOpen ? 'true' : 'false'}
          @click=${() => (h.helpOpen = !h.helpOpen)}>?</button>
      </div>
      <div class="toolbar" part="toolbar" role="toolbar" aria-label="Editing">
        ${
          h.readonly
            ? html`<span class="status-pill" role="note">Read-only</span>`
            : html`<button type="button" @click=${() => h.input.openPalette()} aria-label="Add node">+ Node</button>
                <button type="button" ?disabled=${!history.canUndo} @click=${() => h.undo()} aria-label="Undo">↶</button>
                <button type="button" ?disabled=${!history.canRedo} @click=${() => h.redo()} aria-label="Redo">↷</button>
                <button type="button" @click=${() => h.addNote()} aria-label="Add sticky note">Note</button>
                <button type="button" @click=${() => h.autoLayout()} aria-label="Tidy: auto-layout">Tidy</button>`
        }
        <button type="button" part="run-button" @click=${() => h.requestRun()} aria-label="Run workflow">▶ Run</button>
      </div>`;
  }
}
