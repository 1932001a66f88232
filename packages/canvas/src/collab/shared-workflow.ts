import type { Workflow } from '@weft/engine';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { isEmptyWorkflowDoc, readWorkflow, workflowMaps, writeWorkflow } from './workflow-ydoc.js';

/** Who a co-editor is, as shown to the others. */
export interface CollabUser {
  name: string;
  /** CSS colour of their cursor, selection and avatar. */
  color: string;
}

/** One co-editor's awareness state. */
export interface PresenceState {
  user: CollabUser;
  /** Pointer position in flow coordinates, or null when the pointer left the canvas. */
  cursor: { x: number; y: number } | null;
  /** Selected node ids. */
  selection: string[];
}

/** A remote co-editor: their awareness client id and state. */
export interface RemotePresence extends PresenceState {
  clientId: number;
}

/**
 * A workflow held in a Yjs document, shared by everyone editing it: set it as `<weft-canvas>`'s
 * `shared` and the canvas writes every local edit into the document, redraws every remote one,
 * undoes only this user's own edits (a `Y.UndoManager` tracking this binding's origin) and, given
 * an `Awareness`, shows the other users' cursors and selections. Any Yjs provider syncs the
 * document (`y-websocket` against the Weft host's `/collab` socket, WebRTC, ...).
 *
 * @example
 * ```ts
 * import { SharedWorkflow } from '@weft/canvas/collab';
 * import { WebsocketProvider } from 'y-websocket';
 * import * as Y from 'yjs';
 * const doc = new Y.Doc();
 * const provider = new WebsocketProvider(`wss://weft.example.com/api/v1/workspaces/${ws}/workflows`,
 *   `${workflowId}/collab`, doc, { params: { access_token: token } });
 * canvas.shared = new SharedWorkflow(doc, { awareness: provider.awareness, user: { name: 'Ada', color: '#d33' } });
 * ```
 */
export class SharedWorkflow {
  readonly doc: Y.Doc;
  readonly awareness: Awareness | undefined;
  readonly undoManager: Y.UndoManager;

  constructor(doc: Y.Doc, options: { awareness?: Awareness; user?: CollabUser } = {}) {
    this.doc = doc;
    this.awareness = options.awareness;
    const { meta, nodes, connections, notes } = workflowMaps(doc);
    this.undoManager = new Y.UndoManager([meta, nodes, connections, notes], { trackedOrigins: new Set([this]) });
    if (this.awareness && options.user) {
      this.awareness.setLocalState({ user: options.user, cursor: null, selection: [] } satisfies PresenceState);
    }
  }

  /** The workflow the document holds now. */
  get workflow(): Workflow {
    return readWorkflow(this.doc);
  }

  /** Whether nothing was written or synced into the document yet. */
  get empty(): boolean {
    return isEmptyWorkflowDoc(this.doc);
  }

  /** Writes a local edit (the changed fields only), as an undoable step of this user. */
  write(workflow: Workflow): void {
    writeWorkflow(this.doc, workflow, this);
  }

  /** Calls `listener` with the new workflow after every change that did not come from `write`: remote edits, undo, redo. */
  observe(listener: (workflow: Workflow) => void): () => void {
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin !== this) listener(readWorkflow(this.doc));
    };
    this.doc.on('update', onUpdate);
    return () => this.doc.off('update', onUpdate);
  }

  /** Undoes this user's last edit (others' edits stay); false when there is none. */
  undo(): boolean {
    return this.undoManager.undo() !== null;
  }

  /** Redoes this user's last undone edit; false when there is none. */
  redo(): boolean {
    return this.undoManager.redo() !== null;
  }

  /** Publishes this user's pointer position (flow coordinates) or null. */
  setCursor(cursor: { x: number; y: number } | null): void {
    if (this.awareness?.getLocalState()) this.awareness.setLocalStateField('cursor', cursor);
  }

  /** Publishes this user's selected node ids. */
  setSelection(selection: string[]): void {
    if (this.awareness?.getLocalState()) this.awareness.setLocalStateField('selection', selection);
  }

  /** The other users present, with their cursor and selection. */
  remotes(): RemotePresence[] {
    if (!this.awareness) return [];
    const out: RemotePresence[] = [];
    for (const [clientId, state] of this.awareness.getStates()) {
      if (clientId === this.awareness.clientID || !state?.user) continue;
      const s = state as Partial<PresenceState>;
      out.push({ clientId, user: s.user as CollabUser, cursor: s.cursor ?? null, selection: s.selection ?? [] });
    }
    return out;
  }

  /** Calls `listener` whenever someone's presence changes. */
  observePresence(listener: () => void): () => void {
    const a = this.awareness;
    if (!a) return () => {};
    a.on('change', listener);
    return () => a.off('change', listener);
  }

  /** Stops tracking undo; the document and awareness belong to the caller. */
  destroy(): void {
    this.undoManager.destroy();
  }
}
