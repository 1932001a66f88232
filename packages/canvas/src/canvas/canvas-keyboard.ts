import { isInputDOMNode } from '@xyflow/system';
import type { ReactiveController } from 'lit';
import { shortcutFor } from './keyboard-shortcuts.js';
import type { WeftCanvas } from './weft-canvas.js';

/**
 * Keyboard operation of a `<weft-canvas>`: the shortcut table (`shortcutFor`) applied to the
 * editor, Tab on the pane opening the palette, Space/Enter on nodes, edges and ports (ports:
 * Enter on one, then Enter on another connects them), `[`/`]` moving focus between nodes and
 * arrow keys nudging the selection. Copy, cut and paste are left to the browser's clipboard
 * events, which `CanvasInput` handles.
 *
 * @example
 * ```ts
 * html`<div @keydown=${this.keyboard.onKeyDown}>...</div>`;
 * ```
 */
export class CanvasKeyboard implements ReactiveController {
  constructor(private readonly host: WeftCanvas) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Closes the shortcuts overlay and gives the keyboard back to the canvas. */
  closeHelp(): void {
    this.host.helpOpen = false;
    this.host.view.pane?.focus();
  }

  onKeyDown = (e: KeyboardEvent): void => {
    if (isInputDOMNode(e)) return;
    const h = this.host;
    const ed = h.editor;
    const target = e.composedPath()[0] as HTMLElement;
    if (target.closest?.('weft-node-palette')) return;
    if (e.key === 'Tab' && !e.shiftKey && target === h.view.pane && !h.readonly) {
      e.preventDefault();
      this.host.input.openPalette();
      return;
    }
    const handle = target.closest?.<HTMLElement>('.weft-flow__handle');
    if (handle && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      this.#keyboardConnect(handle);
      return;
    }
    const edgeId = (target.closest?.('[data-edge]') as SVGElement | null)?.dataset.edge;
    if (edgeId && (e.key === ' ' || e.key === 'Enter')) {
      e.preventDefault();
      h.commit(e.shiftKey ? ed.toggle(edgeId, true) : ed.select([], [edgeId]));
      return;
    }
    const nodeId = target.closest?.<HTMLElement>('.weft-flow__node')?.dataset.id;
    if (nodeId && e.key === ' ') {
      e.preventDefault();
      h.commit(ed.toggle(nodeId));
      return;
    }
    const action = shortcutFor(e);
    if (!action) return;
    const writes = [
      'delete',
      'cut',
      'paste',
      'duplicate',
      'undo',
      'redo',
      'move-left',
      'move-right',
      'move-up',
      'move-down',
      'auto-layout',
    ];
    if (h.readonly && writes.includes(action)) return;
    if (action === 'copy' || action === 'cut' || action === 'paste') return;
    e.preventDefault();
    switch (action) {
      case 'delete':
        h.commit(ed.deleteSelection());
        h.view.pane?.focus();
        break;
      case 'duplicate': {
        const text = ed.copySelection();
        const change = text ? ed.paste(text, { offset: [40, 40] }) : null;
        if (change) h.commit(change);
        break;
      }
      case 'undo':
        h.undo();
        break;
      case 'redo':
        h.redo();
        break;
      case 'select-all':
        h.commit(ed.selectAll());
        break;
      case 'help':
        h.helpOpen = !h.helpOpen;
        break;
      case 'clear-selection':
        h.helpOpen = false;
        h.palette = null;
        h.pendingHandle = null;
        h.commit(ed.select([]));
        break;
      case 'zoom-in':
        h.zoomIn();
        break;
      case 'zoom-out':
        h.zoomOut();
        break;
      case 'zoom-reset':
        void h.view.panZoom.instance?.scaleTo(1);
        break;
      case 'fit-view':
        void h.fitView({ duration: 200 });
        break;
      case 'open-palette':
        this.host.input.openPalette();
        break;
      case 'open-inspector':
        if (nodeId?.startsWith('note:') && !h.readonly) {
          h.editingNote = nodeId;
          void h.updateComplete.then(() => h.renderRoot.querySelector<HTMLTextAreaElement>('.note textarea')?.focus());
        } else if (nodeId) h.input.openNode(nodeId);
        break;
      case 'focus-next':
      case 'focus-previous':
        this.#focusSibling(nodeId, action === 'focus-next' ? 1 : -1);
        break;
      case 'auto-layout':
        void h.autoLayout();
        break;
      case 'run':
        h.requestRun();
        break;
      default:
        this.#nudge(action, e.shiftKey, nodeId);
    }
  };

  #focusSibling(current: string | undefined, step: number): void {
    const ids = this.host.editor.workflow.nodes.map((n) => n.id);
    if (ids.length === 0) return;
    const i = current ? ids.indexOf(current) : -1;
    const next = ids[(i + step + ids.length) % ids.length]!;
    const pos = this.host.editor.graph.position(next);
    if (pos) {
      const [x, y, k] = this.host.view.transform;
      const sx = pos.x * k + x;
      const sy = pos.y * k + y;
      if (sx < 0 || sy < 0 || sx > this.host.view.width - 100 || sy > this.host.view.height - 50) {
        void this.host.view.panZoom.instance?.setViewport({
          x: this.host.view.width / 2 - (pos.x + 100) * k,
          y: this.host.view.height / 2 - (pos.y + 30) * k,
          zoom: k,
        });
      }
    }
    this.host.view.refreshVisible(true);
    void this.host.updateComplete.then(() => this.host.input.focusNode(next));
  }

  #nudge(action: string, big: boolean, focused: string | undefined): void {
    const ed = this.host.editor;
    if (ed.selected.size === 0 && focused) this.host.commit(ed.select([focused]));
    const step = (this.host.snapToGrid ? this.host.gridSize : 10) * (big ? 5 : 1);
    const deltas: Record<string, [number, number]> = {
      'move-left': [-step, 0],
      'move-right': [step, 0],
      'move-up': [0, -step],
      'move-down': [0, step],
    };
    const [dx, dy] = deltas[action] ?? [0, 0];
    const moves = [...ed.selected].flatMap((id) => {
      const p = ed.graph.position(id);
      return p ? [{ id, from: [p.x, p.y] as [number, number], to: [p.x + dx, p.y + dy] as [number, number] }] : [];
    });
    this.host.commit(ed.move(moves, `nudge:${[...ed.selected].join(',')}`));
    void this.host.updateComplete.then(() => focused && this.host.input.focusNode(focused));
  }

  #keyboardConnect(handle: HTMLElement): void {
    const h = this.host;
    if (h.readonly) return;
    const type = handle.classList.contains('source') ? 'source' : 'target';
    const key = `${handle.dataset.nodeid}:${type}:${handle.dataset.handleid}`;
    const pending = h.pendingHandle;
    if (!pending || pending === key) {
      h.pendingHandle = pending === key ? null : key;
      h.announcement = pending === key ? 'Connection cancelled' : 'Connection started: choose a port to connect to';
      return;
    }
    const [pNode, pType, pPort] = pending.split(':') as [string, string, string];
    h.pendingHandle = null;
    if (pType === type) {
      h.announcement = 'Connect an output to an input';
      return;
    }
    const [s, t] =
      pType === 'source'
        ? [
            [pNode, pPort],
            [handle.dataset.nodeid!, handle.dataset.handleid!],
          ]
        : [
            [handle.dataset.nodeid!, handle.dataset.handleid!],
            [pNode, pPort],
          ];
    this.host.input.connectPorts(s[0]!, s[1]!, t[0]!, t[1]!);
  }
}
