import { type PanZoomInstance, type Transform, XYMinimap } from '@xyflow/system';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What {@link MinimapController} reads from its host. */
export interface MinimapOptions {
  svg(): SVGSVGElement | null | undefined;
  panZoom(): PanZoomInstance | undefined;
  transform(): Transform;
  /** Flow units per minimap pixel. */
  viewScale(): number;
  size(): { width: number; height: number };
  enabled(): boolean;
}

/**
 * Owns one XYMinimap: dragging or wheeling on the minimap pans and zooms the canvas. Created
 * once the minimap and the pan-zoom instance exist, updated after host updates, destroyed on
 * disconnect.
 *
 * @example
 * ```ts
 * new MinimapController(this, { svg: () => this.minimapSvg, panZoom: () => this.panZoom.instance, ... });
 * ```
 */
export class MinimapController implements ReactiveController {
  #instance: ReturnType<typeof XYMinimap> | undefined;
  #svg: SVGSVGElement | null = null;

  constructor(
    host: ReactiveControllerHost,
    private readonly options: MinimapOptions,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const svg = this.options.enabled() ? (this.options.svg() ?? null) : null;
    const panZoom = this.options.panZoom();
    if (svg !== this.#svg) {
      this.#instance?.destroy();
      this.#instance = undefined;
      this.#svg = svg;
    }
    if (!svg || !panZoom) return;
    if (!this.#instance) {
      this.#instance = XYMinimap({
        domNode: svg,
        panZoom,
        getTransform: () => this.options.transform(),
        getViewScale: () => this.options.viewScale(),
      });
    }
    const { width, height } = this.options.size();
    this.#instance.update({
      translateExtent: [
        [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY],
        [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
      ],
      width,
      height,
      pannable: true,
      zoomable: true,
      zoomStep: 10,
    });
  }

  hostDisconnected(): void {
    this.#instance?.destroy();
    this.#instance = undefined;
    this.#svg = null;
  }
}
