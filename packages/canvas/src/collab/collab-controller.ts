import type { Workflow } from '@weft/engine';
import { html, nothing, type ReactiveController, type TemplateResult } from 'lit';
import type { CanvasEditor, EditorChange } from '../canvas/canvas-editor.js';
import type { CanvasViewport } from '../canvas/canvas-viewport.js';
import { NODE_WIDTH } from '../model/node-geometry.js';
import { sameWorkflow } from './same-workflow.js';
import type { RemotePresence, SharedWorkflow } from './shared-workflow.js';

/** What the controller needs of `<weft-canvas>`. */
export interface CollabHost extends HTMLElement {
  readonly editor: CanvasEditor;
  readonly view: CanvasViewport;
  commit(change: EditorChange): void;
  requestUpdate(): void;
  addController(controller: ReactiveController): void;
}

const esc = (s: string) => s.replace(/[^#a-zA-Z0-9(),.% -]/g, '');

/**
 * Binds `<weft-canvas>` to a {@link SharedWorkflow}: local edits go into the shared document,
 * remote edits (and this user's undo/redo) come back as `workflow-change` events, the pointer
 * and selection go out as awareness, and the other users' cursors and selections are drawn.
 *
 * @example
 * ```ts
 * readonly collab = new CollabController(this);
 * // willUpdate: if (changed.has('shared')) this.collab.bind(this.shared);
 * ```
 */
export class CollabController implements ReactiveController {
  #shared: SharedWorkflow | null = null;
  #stops: (() => void)[] = [];
  #applying = false;
  #frame = 0;
  #pointer: { x: number; y: number } | null = null;

  constructor(private readonly host: CollabHost) {
    host.addController(this);
  }

  get shared(): SharedWorkflow | null {
    return this.#shared;
  }

  hostConnected(): void {
    this.host.addEventListener('pointermove', this.#onMove);
    this.host.addEventListener('pointerleave', this.#onLeave);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('pointermove', this.#onMove);
    this.host.removeEventListener('pointerleave', this.#onLeave);
  }

  /** Starts sharing through `shared` (null: stops). An empty document is filled with the canvas's workflow. */
  bind(shared: SharedWorkflow | null): void {
    if (shared === this.#shared) return;
    for (const stop of this.#stops.splice(0)) stop();
    this.#shared = shared;
    if (!shared) return;
    if (shared.empty) shared.write(this.host.editor.workflow);
    else if (!sameWorkflow(shared.workflow, this.host.editor.workflow)) this.#apply(shared.workflow);
    this.#stops.push(
      shared.observe((wf) => this.#apply(wf)),
      shared.observePresence(() => this.host.requestUpdate()),
    );
    shared.setSelection([...this.host.editor.selected]);
  }

  /** A local edit or a workflow set from outside: written to the shared document. */
  local(workflow: Workflow): void {
    if (this.#shared && !this.#applying) this.#shared.write(workflow);
  }

  /** The local selection changed. */
  selected(ids: string[]): void {
    this.#shared?.setSelection(ids);
  }

  /** Undo or redo through the shared document's per-user history; false when not shared. */
  history(redo: boolean): boolean {
    if (!this.#shared) return false;
    if (redo) this.#shared.redo();
    else this.#shared.undo();
    return true;
  }

  #apply(workflow: Workflow): void {
    this.#applying = true;
    try {
      this.host.editor.load(workflow);
      this.host.commit({ workflow: true, selection: false, label: '' });
    } finally {
      this.#applying = false;
    }
  }

  #onMove = (e: PointerEvent): void => {
    if (!this.#shared) return;
    this.#pointer = this.host.view.clientToFlow(e.clientX, e.clientY);
    this.#frame ||= requestAnimationFrame(() => {
      this.#frame = 0;
      this.#shared?.setCursor(this.#pointer);
    });
  };

  #onLeave = (): void => {
    this.#pointer = null;
    this.#shared?.setCursor(null);
  };

  /**
   * The other users' selections and cursors, in flow coordinates (inside the viewport layer);
   * cursors are scaled against the zoom of the last render, so their labels stay readable.
   */
  renderPresence(): TemplateResult | typeof nothing {
    const remotes = this.#shared?.remotes() ?? [];
    if (remotes.length === 0) return nothing;
    return html`${remotes.map((r) => this.#renderRemote(r))}`;
  }

  #renderRemote(r: RemotePresence): TemplateResult {
    const color = esc(r.user.color);
    const name = r.user.name;
    const lookup = this.host.editor.graph.lookup;
    const boxes = r.selection.flatMap((id) => {
      const n = lookup.get(id);
      if (!n) return [];
      const p = n.internals.positionAbsolute;
      const w = n.measured.width ?? NODE_WIDTH;
      const h = n.measured.height ?? 62;
      return [
        html`<div class="remote-selection" data-user=${name} data-node=${id} style=${`position:absolute;pointer-events:none;left:${p.x - 4}px;top:${p.y - 4}px;width:${w + 8}px;height:${h + 8}px;border:2px solid ${color};border-radius:10px;z-index:3`}></div>`,
      ];
    });
    const c = r.cursor;
    const cursor = c
      ? html`<div class="remote-cursor" data-user=${name} style=${`position:absolute;pointer-events:none;left:${c.x}px;top:${c.y}px;z-index:5;transform-origin:0 0;transform:scale(${1 / (this.host.view.transform[2] || 1)})`}>
          <svg width="16" height="20" viewBox="0 0 16 20" aria-hidden="true"><path d="M1 1 L1 17 L5 13 L8 19 L11 18 L8 12 L14 12 Z" fill=${color} stroke="white" stroke-width="1.2"/></svg>
          <span style=${`position:absolute;left:14px;top:16px;white-space:nowrap;background:${color};color:#fff;font:600 11px/1.4 system-ui,sans-serif;padding:1px 6px;border-radius:4px`}>${name}</span>
        </div>`
      : nothing;
    return html`${boxes}${cursor}`;
  }
}
