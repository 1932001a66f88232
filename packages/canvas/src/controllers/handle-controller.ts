import {
  type ConnectionInProgress,
  ConnectionMode,
  type FinalConnectionState,
  type Connection as FlowConnection,
  type InternalNodeBase,
  type Transform,
  XYHandle,
} from '@xyflow/system';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What {@link HandleController} reads from its host. */
export interface HandleOptions {
  pane(): HTMLDivElement | null | undefined;
  /** The element that listens for presses on handles: inside the pane, so it hears them before d3-zoom. */
  listenOn(): HTMLElement | null | undefined;
  lookup(): Map<string, InternalNodeBase>;
  transform(): Transform;
  flowId: string;
  enabled(): boolean;
  panBy(delta: { x: number; y: number }): Promise<boolean>;
  isValid(connection: FlowConnection): boolean;
  onConnect(connection: FlowConnection): void;
  /** The drag ended away from any handle: `from` is where it started, `at` the pane point. */
  onDropOnPane(
    from: { nodeId: string; handleId: string; type: 'source' | 'target' },
    at: { x: number; y: number },
  ): void;
  onChange(connection: ConnectionInProgress | null): void;
}

/**
 * Drawing connections with XYHandle: listens for pointer presses on `.weft-flow__handle`
 * elements inside the canvas shadow root and hands them to `XYHandle.onPointerDown`, which
 * finds the closest valid handle through the node lookup. The in-progress connection is reported
 * to the host so it can draw the connection line.
 *
 * @example
 * ```ts
 * this.handles = new HandleController(this, { pane: () => this.pane, onConnect: (c) => this.editor.connect(...), ... });
 * ```
 */
export class HandleController implements ReactiveController {
  connection: ConnectionInProgress | null = null;
  #pane: HTMLDivElement | null = null;
  #root: HTMLElement | null = null;
  readonly #onPointerDown = (event: MouseEvent | TouchEvent) => this.#start(event);

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: HandleOptions,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    this.#pane = this.options.pane() ?? null;
    const root = this.options.listenOn() ?? null;
    if (root === this.#root) return;
    this.#detach();
    this.#root = root;
    root?.addEventListener('mousedown', this.#onPointerDown);
    root?.addEventListener('touchstart', this.#onPointerDown);
  }

  hostDisconnected(): void {
    this.#detach();
  }

  #detach(): void {
    this.#root?.removeEventListener('mousedown', this.#onPointerDown);
    this.#root?.removeEventListener('touchstart', this.#onPointerDown);
    this.#root = null;
  }

  /**
   * XYHandle listens for moves and the release on the handle's root node, the canvas's shadow
   * root, which never hears pointer events over the rest of the page: released over a side panel,
   * the drag never ended and auto-pan ran forever. Until the drag ends, moves and the release
   * outside the shadow root are forwarded to it.
   */
  #followOutside(handle: HTMLElement): void {
    const root = handle.getRootNode();
    if (!(root instanceof ShadowRoot)) return;
    const forward = (e: MouseEvent | TouchEvent) => {
      if (e.composedPath().includes(root)) return;
      const copy =
        'touches' in e
          ? new TouchEvent(e.type, { touches: [...e.touches], changedTouches: [...e.changedTouches] })
          : new MouseEvent(e.type, e);
      root.dispatchEvent(copy);
    };
    const end = (e: MouseEvent | TouchEvent) => {
      if ('touches' in e && e.touches.length > 0) return;
      forward(e);
      for (const t of ['mousemove', 'touchmove'] as const) window.removeEventListener(t, forward, true);
      for (const t of ['mouseup', 'touchend'] as const) window.removeEventListener(t, end, true);
    };
    for (const t of ['mousemove', 'touchmove'] as const) window.addEventListener(t, forward, true);
    for (const t of ['mouseup', 'touchend'] as const) window.addEventListener(t, end, true);
  }

  #start(event: MouseEvent | TouchEvent): void {
    if (!this.options.enabled()) return;
    if ('button' in event && event.button !== 0) return;
    const handle = (event.target as Element | null)?.closest?.('.weft-flow__handle') as HTMLElement | null;
    if (!handle) return;
    const nodeId = handle.dataset.nodeid;
    const handleId = handle.dataset.handleid ?? null;
    if (!nodeId) return;
    event.stopPropagation();
    this.#followOutside(handle);
    const isTarget = handle.classList.contains('target');
    XYHandle.onPointerDown(event, {
      autoPanOnConnect: true,
      connectionMode: ConnectionMode.Strict,
      connectionRadius: 24,
      domNode: this.#pane,
      handleId,
      nodeId,
      isTarget,
      nodeLookup: this.options.lookup(),
      lib: 'weft',
      flowId: this.options.flowId,
      updateConnection: (c) => {
        this.connection = c.inProgress ? c : null;
        this.options.onChange(this.connection);
      },
      panBy: (delta) => this.options.panBy(delta),
      cancelConnection: () => {
        this.connection = null;
        this.options.onChange(null);
      },
      onConnect: (c) => this.options.onConnect(c),
      onConnectEnd: (e, state: FinalConnectionState) => {
        if (state.toHandle || !state.fromHandle || !this.#pane) return;
        const bounds = this.#pane.getBoundingClientRect();
        const point = 'changedTouches' in e ? e.changedTouches[0] : (e as MouseEvent);
        if (!point) return;
        const inside =
          point.clientX >= bounds.left &&
          point.clientX <= bounds.right &&
          point.clientY >= bounds.top &&
          point.clientY <= bounds.bottom;
        if (!inside) return;
        const from = state.fromHandle;
        this.options.onDropOnPane(
          { nodeId: from.nodeId, handleId: from.id ?? 'main', type: from.type },
          { x: point.clientX - bounds.left, y: point.clientY - bounds.top },
        );
      },
      isValidConnection: (c) => this.options.isValid(c as FlowConnection),
      getTransform: () => this.options.transform(),
      getFromHandle: () => this.connection?.fromHandle ?? null,
      dragThreshold: 1,
      handleDomNode: handle,
    });
    this.host.requestUpdate();
  }
}
