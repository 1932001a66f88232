import { PanOnScrollMode, type PanZoomInstance, type Transform, type Viewport, XYPanZoom } from '@xyflow/system';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What {@link PanZoomController} reads from its host on every update. */
export interface PanZoomOptions {
  /** The pane element d3-zoom listens on; undefined until the host has rendered. */
  domNode(): Element | null | undefined;
  minZoom: number;
  maxZoom: number;
  /** The viewport to start from (the host's current one, so a re-attached canvas stays put). */
  viewport(): Viewport;
  /** Called for every transform change (pan, zoom, programmatic moves). */
  onTransform(transform: Transform): void;
  /** Inputs read on each host update. */
  state(): { userSelectionActive: boolean; connectionInProgress: boolean; panOnScroll: boolean };
}

/**
 * Owns one XYPanZoom: created once the pane exists, updated after every host update (so
 * selection or connection state reach its event filter), destroyed on disconnect.
 *
 * @example
 * ```ts
 * this.panZoom = new PanZoomController(this, { domNode: () => this.pane, minZoom: 0.1, maxZoom: 2, ... });
 * this.panZoom.instance?.scaleBy(1.2);
 * ```
 */
export class PanZoomController implements ReactiveController {
  instance: PanZoomInstance | undefined;
  #lastState = '';

  constructor(
    host: ReactiveControllerHost,
    private readonly options: PanZoomOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#lastState = '';
  }

  hostUpdated(): void {
    const dom = this.options.domNode();
    if (!dom) return;
    if (!this.instance) {
      this.instance = XYPanZoom({
        domNode: dom,
        minZoom: this.options.minZoom,
        maxZoom: this.options.maxZoom,
        translateExtent: [
          [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY],
          [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
        ],
        viewport: this.options.viewport(),
        onDraggingChange: () => {},
      });
      this.#lastState = '';
    }
    this.sync();
  }

  /** Pushes the host's current state into the instance when it changed. */
  sync(): void {
    if (!this.instance) return;
    const s = this.options.state();
    const key = `${s.userSelectionActive}|${s.connectionInProgress}|${s.panOnScroll}`;
    if (key === this.#lastState) return;
    this.#lastState = key;
    this.instance.update({
      noWheelClassName: 'nowheel',
      noPanClassName: 'nopan',
      preventScrolling: true,
      panOnScroll: s.panOnScroll,
      panOnDrag: true,
      panOnScrollMode: PanOnScrollMode.Free,
      panOnScrollSpeed: 0.5,
      userSelectionActive: s.userSelectionActive,
      zoomOnPinch: true,
      zoomOnScroll: !s.panOnScroll,
      zoomOnDoubleClick: false,
      zoomActivationKeyPressed: false,
      lib: 'weft',
      onTransformChange: (t) => this.options.onTransform(t),
      connectionInProgress: s.connectionInProgress,
      paneClickDistance: 1,
    });
  }

  hostDisconnected(): void {
    this.instance?.destroy();
    this.instance = undefined;
  }
}
